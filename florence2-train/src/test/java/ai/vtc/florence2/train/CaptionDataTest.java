package ai.vtc.florence2.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both caption layouts of the LoRA trainer, the task prompt, shuffling, dropout and uncaptioned images. */
class CaptionDataTest {
    @TempDir
    Path dir;

    @Test
    void imageAndTextPairsAreExamplesWithTheDefaultPrompt() throws Exception {
        Files.write(dir.resolve("b.png"), new byte[] {1});
        Files.writeString(dir.resolve("b.txt"), "a red car, a street\n");
        Files.write(dir.resolve("a.jpg"), new byte[] {1});
        Files.writeString(dir.resolve("a.txt"), "a cat");
        List<Example> examples = CaptionData.load(dir, null);
        assertEquals(2, examples.size());
        assertEquals(dir.resolve("a.jpg"), examples.get(0).image());
        assertEquals("a cat", examples.get(0).answer());
        assertEquals("<CAPTION>", examples.get(0).question());
        assertEquals("a red car, a street", examples.get(1).answer());
        assertEquals(2, examples.get(1).questionId());
        assertEquals(
                "<DETAILED_CAPTION>",
                CaptionData.load(dir, "<DETAILED_CAPTION>").get(0).question());
    }

    @Test
    void metadataJsonlNamesImagesAndCaptions() throws Exception {
        Files.write(dir.resolve("x.png"), new byte[] {1});
        Files.write(dir.resolve("y.png"), new byte[] {1});
        Files.writeString(
                dir.resolve("metadata.jsonl"),
                "{\"file_name\": \"y.png\", \"text\": \"second\"}\n{\"file_name\": \"x.png\", \"text\": \"first\"}\n");
        List<Example> examples = CaptionData.load(dir, null);
        assertEquals(
                List.of("second", "first"),
                examples.stream().map(Example::answer).toList());
    }

    @Test
    void imagesWithoutCaptionsAreNamed() throws Exception {
        Files.write(dir.resolve("a.png"), new byte[] {1});
        Files.write(dir.resolve("b.png"), new byte[] {1});
        Files.writeString(dir.resolve("a.txt"), "a cat");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CaptionData.load(dir, null));
        assertTrue(
                e.getMessage().contains("1 images in " + dir + " have no caption")
                        && e.getMessage().contains("b.png"),
                e.getMessage());
        Files.writeString(dir.resolve("metadata.jsonl"), "{\"file_name\": \"a.png\", \"text\": \"a cat\"}\n");
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> CaptionData.load(dir, null));
        assertTrue(m.getMessage().contains("have no caption in metadata.jsonl: b.png"), m.getMessage());
    }

    @Test
    void shufflingPermutesTheCommaSeparatedPartsAndDropoutEmptiesAboutPOfTheCaptions() {
        String caption = "a, b, c, d, e";
        CaptionAugment shuffle = new CaptionAugment(true, 0, 7);
        Set<String> seen = new HashSet<>();
        for (long key = 0; key < 50; key++) {
            String s = shuffle.caption(caption, key);
            List<String> parts = new ArrayList<>(Arrays.asList(s.split(", ")));
            parts.sort(null);
            assertEquals(List.of("a", "b", "c", "d", "e"), parts, s);
            seen.add(s);
        }
        assertTrue(seen.size() > 10, "shuffles differ between examples: " + seen);
        assertEquals(shuffle.caption(caption, 3), shuffle.caption(caption, 3), "the same seed and example");
        assertEquals("no comma", shuffle.caption("no comma", 1));
        CaptionAugment dropout = new CaptionAugment(false, 0.3, 1);
        int dropped = 0;
        for (long key = 0; key < 2000; key++) {
            String s = dropout.caption(caption, key);
            if (s.isEmpty()) {
                dropped++;
            } else {
                assertEquals(caption, s);
            }
        }
        assertTrue(dropped > 500 && dropped < 700, dropped + " of 2000 dropped at p = 0.3");
        assertNotEquals(0, dropped);
        assertThrows(IllegalArgumentException.class, () -> new CaptionAugment(false, 1.5, 0));
    }
}
