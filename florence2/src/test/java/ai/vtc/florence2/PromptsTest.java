package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PromptsTest {

    @Test
    void expandsTaskTokensAsTheProcessor() {
        assertEquals("What does the image describe?", Florence2Prompts.construct("<CAPTION>"));
        assertEquals(
                "Locate a red car in the image.", Florence2Prompts.construct("<OPEN_VOCABULARY_DETECTION>a red car"));
        assertEquals("<VQA>what color is the circle?", Florence2Prompts.construct("<VQA>what color is the circle?"));
        assertThrows(IllegalArgumentException.class, () -> Florence2Prompts.construct("<CAPTION> of a dog"));
    }
}
