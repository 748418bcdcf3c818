package ai.vtc.vqa.subset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.SubsetManifest;
import ai.vtc.vqa.VqaHeader;
import ai.vtc.vqa.VqaQuestion;
import ai.vtc.vqa.VqaQuestions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubsetsTest {
    /** 2,000 images with 1 to 6 questions each, VQAv2-style ids. */
    static VqaQuestions split(long salt, boolean reversed) {
        List<VqaQuestion> list = new ArrayList<>();
        for (int img = 1; img <= 2000; img++) {
            long imageId = img * 97 + salt;
            for (int k = 0; k < 1 + img % 6; k++) {
                list.add(new VqaQuestion(imageId, "Q" + k + "?", imageId * 1000 + k));
            }
        }
        if (reversed) {
            Collections.reverse(list);
        }
        return VqaQuestions.of(VqaHeader.of("val2014", "t"), list);
    }

    static final List<SubsetSize> SIZES =
            List.of(SubsetSize.fraction(0.01), SubsetSize.fraction(0.05), SubsetSize.fraction(0.10));

    @Test
    void smallerSubsetsAreContainedInLargerOnesForOneSeed() {
        for (Selection by : Selection.values()) {
            List<SubsetManifest> nested = Subsets.nested("d", 7, by, Map.of("val", split(0, false)), SIZES);
            assertEquals(
                    List.of("1pct", "5pct", "10pct"),
                    nested.stream().map(SubsetManifest::name).toList());
            for (int i = 1; i < nested.size(); i++) {
                Set<Long> larger = set(nested.get(i).questionIds("val"));
                for (long id : nested.get(i - 1).questionIds("val")) {
                    assertTrue(
                            larger.contains(id),
                            by + ": " + id + " of " + nested.get(i - 1).name());
                }
                assertTrue(nested.get(i).questionIds("val").length
                        > nested.get(i - 1).questionIds("val").length);
            }
        }
    }

    @Test
    void sizesAreFractionsOfQuestionsOrOfImages() {
        VqaQuestions val = split(0, false);
        assertEquals(6998, val.size());
        long[] questions = Subsets.select(val, 1, Selection.QUESTION, SubsetSize.fraction(0.05));
        assertEquals(350, questions.length);
        long[] byImage = Subsets.select(val, 1, Selection.IMAGE, SubsetSize.fraction(0.05));
        Set<Long> images = new HashSet<>();
        for (long id : byImage) {
            images.add(id / 1000);
        }
        assertEquals(100, images.size(), "5% of 2,000 images");
        for (int q = 0; q < val.size(); q++) {
            assertEquals(images.contains(val.imageId(q)), Arrays.binarySearch(byImage, val.questionId(q)) >= 0);
        }
        assertEquals(123, Subsets.select(val, 1, Selection.QUESTION, SubsetSize.count(123)).length);
        assertEquals(7, SubsetSize.fraction(0.07).of(100), "decimal arithmetic: 0.07 * 100 is 7");
        assertEquals(1, SubsetSize.fraction(0.0001).of(100), "never empty");
    }

    @Test
    void theSameSeedGivesTheSameSubsetWhateverTheFileOrderAndOtherSeedsDiffer() {
        long[] a = Subsets.select(split(0, false), 3, Selection.QUESTION, SubsetSize.fraction(0.1));
        long[] b = Subsets.select(split(0, true), 3, Selection.QUESTION, SubsetSize.fraction(0.1));
        long[] c = Subsets.select(split(0, false), 4, Selection.QUESTION, SubsetSize.fraction(0.1));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        for (int i = 1; i < a.length; i++) {
            assertTrue(a[i - 1] < a[i], "ascending");
        }
    }

    @Test
    void theOrderIsFixedByTheSeedAloneNotByTheJvm() {
        // pinned values: SplitMix64, so any JVM on any platform gives these
        assertEquals(5197578548964807871L, Subsets.sortKey(0, 0));
        long[] order = Subsets.order(42, new long[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertArrayEquals(order, Subsets.order(42, new long[] {8, 7, 6, 5, 4, 3, 2, 1}));
        assertEquals(8, set(order).size());
    }

    @Test
    void manifestsCarryAHashOfTheirContent() {
        Map<String, VqaQuestions> splits = new LinkedHashMap<>();
        splits.put("val", split(0, false));
        splits.put("train", split(5, false));
        SubsetManifest m = Subsets.manifest("synth", "1pct", 0, Selection.QUESTION, SubsetSize.fraction(0.01), splits);
        assertTrue(m.verifies());
        assertEquals(64, m.sha256().length());
        assertTrue(
                m.toJson()
                        .startsWith("{\"dataset\":\"synth\",\"name\":\"1pct\",\"seed\":0,\"fraction\":0.01,"
                                + "\"question_ids\":{\"train\":["),
                m.toJson());

        SubsetManifest back = SubsetManifest.read(m.toJson(), "1pct.json");
        assertEquals(m, back);
        assertArrayEquals(m.questionIds("train"), back.questionIds("train"));

        // the order the splits come in changes nothing
        Map<String, VqaQuestions> reordered = new LinkedHashMap<>();
        reordered.put("train", splits.get("train"));
        reordered.put("val", splits.get("val"));
        assertEquals(
                m.toJson(),
                Subsets.manifest("synth", "1pct", 0, Selection.QUESTION, SubsetSize.fraction(0.01), reordered)
                        .toJson());

        // same ids, same hash; any change, another hash
        SubsetManifest again =
                Subsets.manifest("synth", "1pct", 0, Selection.QUESTION, SubsetSize.fraction(0.01), splits);
        assertEquals(m.sha256(), again.sha256());
        SubsetManifest otherSeed =
                Subsets.manifest("synth", "1pct", 1, Selection.QUESTION, SubsetSize.fraction(0.01), splits);
        assertNotEquals(m.sha256(), otherSeed.sha256());
    }

    @Test
    void aTamperedManifestIsRejected() {
        SubsetManifest m = Subsets.manifest(
                "synth", "5pct", 0, Selection.IMAGE, SubsetSize.fraction(0.05), Map.of("val", split(0, false)));
        assertTrue(m.toJson().contains("\"selection\":\"image\""), m.toJson());
        long first = m.questionIds("val")[0];
        String tampered = m.toJson().replace("[" + first + ",", "[" + (first - 1) + ",");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SubsetManifest.read(tampered, "x.json"));
        assertTrue(e.getMessage().startsWith("x.json: sha256 "), e.getMessage());
        assertTrue(e.getMessage().contains("does not match the content"), e.getMessage());
    }

    @Test
    void sizesParseAndNameThemselves() {
        assertEquals(SubsetSize.fraction(0.01), SubsetSize.parse("1%"));
        assertEquals(SubsetSize.fraction(0.05), SubsetSize.parse("0.05"));
        assertEquals(SubsetSize.count(500), SubsetSize.parse("500"));
        assertEquals("0.5pct", SubsetSize.parse("0.5%").defaultName());
        assertEquals("10pct", SubsetSize.fraction(0.1).defaultName());
        assertEquals("n500", SubsetSize.count(500).defaultName());
        assertThrows(IllegalArgumentException.class, () -> SubsetSize.fraction(1.5));
        assertThrows(IllegalArgumentException.class, () -> SubsetSize.parse("lots"));
    }

    private static Set<Long> set(long[] ids) {
        Set<Long> s = new HashSet<>();
        for (long id : ids) {
            s.add(id);
        }
        return s;
    }
}
