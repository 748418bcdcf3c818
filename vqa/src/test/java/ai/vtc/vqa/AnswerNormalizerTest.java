package ai.vtc.vqa;

import static ai.vtc.vqa.AnswerNormalizer.clean;
import static ai.vtc.vqa.AnswerNormalizer.normalize;
import static ai.vtc.vqa.AnswerNormalizer.processDigitArticle;
import static ai.vtc.vqa.AnswerNormalizer.processPunctuation;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** One test per rule of the official normalisation, with the quirks it is known for. */
class AnswerNormalizerTest {
    @Test
    void cleanTurnsTabsAndNewlinesIntoSpacesAndStripsPythonWhitespace() {
        assertEquals("hot dog", clean("hot\tdog"));
        assertEquals("hot dog", clean("hot\ndog"));
        assertEquals("yes", clean(" \t yes\n"));
        assertEquals("yes", clean("\u00a0yes\r"));
        assertEquals("a\rb", clean("a\rb"), "only \\n and \\t are replaced inside");
        assertEquals("", clean(" \u3000 "));
    }

    @Test
    void punctuationNextToASpaceIsDeletedOtherwiseItBecomesASpace() {
        assertEquals("black white", processPunctuation("black/white"));
        assertEquals("blackwhite ", processPunctuation("blackwhite!"));
        assertEquals("black  white", processPunctuation("black - white"));
        // "- " occurs, so every "-" is deleted, also the one between letters
        assertEquals("wi fi wifi", processPunctuation("wi fi- wi-fi").replace("  ", " "));
        assertEquals("wifi", processPunctuation("wi-fi -").trim());
    }

    @Test
    void aDigitCommaDigitAnywhereDeletesAllPunctuation() {
        assertEquals("1000", processPunctuation("1,000"));
        assertEquals("2000piece", processPunctuation("2,000-piece"));
        assertEquals("25 and yes", processPunctuation("2,5 and (yes)").replace("(", ""));
        assertEquals("a b", processPunctuation("a,b"), "no digits around the comma: it becomes a space");
    }

    @Test
    void periodsNotFollowedByADigitAreDeletedAtMost32() {
        assertEquals("yes", processPunctuation("yes."));
        assertEquals("2.5", processPunctuation("2.5"));
        assertEquals("usa", processPunctuation("u.s.a."));
        assertEquals("10:30 am", processPunctuation("10:30 a.m."));
        assertEquals(".5", processPunctuation("..5"));
        String many = ".".repeat(40);
        assertEquals(".".repeat(8), processPunctuation(many), "re.UNICODE (32) is passed as the count");
    }

    @Test
    void apostrophesAndColonsStay() {
        assertEquals("don't", processPunctuation("don't"));
        assertEquals("10:30", processPunctuation("10:30"));
    }

    @Test
    void numberWordsBecomeDigits() {
        assertEquals("2", processDigitArticle("two"));
        assertEquals("0", processDigitArticle("none"));
        assertEquals("0", processDigitArticle("Zero"));
        assertEquals("10", processDigitArticle("ten"));
        assertEquals("eleven", processDigitArticle("eleven"));
        assertEquals("red 1", processDigitArticle("the red one"));
    }

    @Test
    void articlesAreDropped() {
        assertEquals("dog", processDigitArticle("a dog"));
        assertEquals("apple", processDigitArticle("An apple"));
        assertEquals("dog", processDigitArticle("THE dog"));
        assertEquals("", processDigitArticle("the"));
        assertEquals("anthem", processDigitArticle("anthem"));
    }

    @Test
    void contractionsAreLookedUpAfterLowerCasing() {
        assertEquals("don't", processDigitArticle("dont"));
        assertEquals("isn't", processDigitArticle("ISNT"));
        assertEquals("'twas", processDigitArticle("twas"));
        assertEquals("y'all'll", processDigitArticle("y'allll"));
        assertEquals("somebodyd", processDigitArticle("somebody'd"), "the table maps this one backwards");
        assertEquals("im", processDigitArticle("Im"), "the key Im can never match after lower-casing");
        assertEquals("ive", processDigitArticle("Ive"));
    }

    @Test
    void wordsAreSplitOnPythonWhitespaceAndJoinedWithOneSpace() {
        assertEquals("hot dog", processDigitArticle("hot \u00a0 dog"));
        assertEquals("hot dog", processDigitArticle("  hot\r\ndog "));
        assertEquals("café", processDigitArticle("CAFÉ"));
    }

    @Test
    void normalizeChainsPunctuationAndDigitArticle() {
        assertEquals("3", normalize("Three."));
        assertEquals("yes", normalize("Yes!"));
        assertEquals("red white", normalize("the Red/White"));
        assertEquals("", normalize("?"));
        assertEquals("", normalize("a"));
    }
}
