package ai.vtc.dataset.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourceLayoutTest {
    @Test
    void officialNamesGiveSplitsWithoutTheYear() {
        List<SplitFiles> splits = SourceLayout.splits(
                List.of(
                        "v2_OpenEnded_mscoco_val2014_questions.json",
                        "v2_mscoco_val2014_annotations.json",
                        "v2_OpenEnded_mscoco_train2014_questions.json",
                        "v2_mscoco_train2014_annotations.json",
                        "README.md"),
                "folder /x");
        assertEquals(
                List.of("train", "val"), splits.stream().map(SplitFiles::name).toList());
        assertEquals(List.of("val2014", "images/val2014"), splits.get(1).imageFolders());
        assertEquals("v2_mscoco_val2014_annotations.json", splits.get(1).annotationsFile());
    }

    @Test
    void oneFolderPerSplit() {
        List<SplitFiles> splits = SourceLayout.splits(
                List.of("minival/questions.json", "minival/annotations.json", "minival/images/COCO_x_000000000001.jpg"),
                "folder /x");
        assertEquals(
                new SplitFiles(
                        "minival", "minival/questions.json", "minival/annotations.json", List.of("minival/images")),
                splits.get(0));
    }

    @Test
    void splitNames() {
        assertEquals("val", SourceLayout.splitName("val2014"));
        assertEquals("test-dev", SourceLayout.splitName("test-dev2015"));
        assertEquals("minival", SourceLayout.splitName("minival"));
    }

    @Test
    void halfASplitOrNoneIsAnError() {
        IngestProblem e = assertThrows(
                IngestProblem.class,
                () -> SourceLayout.splits(List.of("v2_OpenEnded_mscoco_val2014_questions.json"), "folder /x"));
        assertTrue(
                e.getMessage().contains("questions without annotations")
                        && e.getMessage().contains("v2_mscoco_val2014_annotations.json"),
                e.getMessage());
        e = assertThrows(IngestProblem.class, () -> SourceLayout.splits(List.of("val/annotations.json"), "folder /x"));
        assertTrue(e.getMessage().contains("annotations without questions"), e.getMessage());
        e = assertThrows(IngestProblem.class, () -> SourceLayout.splits(List.of("notes.txt"), "folder /x"));
        assertTrue(e.getMessage().startsWith("no split in folder /x"), e.getMessage());
    }

    @Test
    void aSplitInBothLayoutsIsAnError() {
        assertThrows(
                IngestProblem.class,
                () -> SourceLayout.splits(
                        List.of(
                                "v2_OpenEnded_mscoco_val2014_questions.json",
                                "v2_mscoco_val2014_annotations.json",
                                "val/questions.json",
                                "val/annotations.json"),
                        "folder /x"));
    }

    @Test
    void onlyCocoNamesAreImageNames() {
        assertEquals(
                new CocoImageName("COCO_val2014_", 42, "jpg"),
                CocoImageName.parse("COCO_val2014_000000000042.jpg").orElseThrow());
        assertEquals(
                "COCO_test-dev2015_000000000007.png",
                CocoImageName.parse("COCO_test-dev2015_000000000007.png")
                        .orElseThrow()
                        .fileName());
        for (String bad : List.of(
                "COCO_val2014_42.jpg",
                "COCO_val2014_000000000042.gif",
                "COCO_val2014_000000000042..jpg",
                "../COCO_val2014_000000000042.jpg",
                "COCO_../_000000000042.jpg",
                "COCO_val2014_000000000042.jpg/x",
                "/COCO_val2014_000000000042.jpg")) {
            assertTrue(CocoImageName.parse(bad).isEmpty(), bad);
        }
    }
}
