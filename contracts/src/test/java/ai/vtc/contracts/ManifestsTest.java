package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestsTest {
    @Test
    void subsetHashCoversTheContentAndSurvivesJson() {
        SubsetManifest sealed = new SubsetManifest(
                        "synth", "1pct", 0, 0.01, Map.of("train", List.of(1L, 5L), "val", List.of(9L)), null)
                .seal();
        assertEquals(64, sealed.sha256().length());
        assertTrue(sealed.verifies());
        SubsetManifest read = Json.read(Json.write(sealed), SubsetManifest.class);
        assertTrue(read.verifies());
        assertEquals(List.of(1L, 5L), read.ids("train"));
        SubsetManifest tampered = new SubsetManifest(
                "synth", "1pct", 0, 0.01, Map.of("train", List.of(1L, 6L), "val", List.of(9L)), sealed.sha256());
        assertFalse(tampered.verifies());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sealed.ids("test"));
        assertTrue(e.getMessage().contains("no split 'test'"), e.getMessage());
    }

    @Test
    void fixedSizeImageSubsetsKeepTheirOptionalMembersInTheHash() {
        SubsetManifest byImage = new SubsetManifest(
                        "synth", "100img", 3, null, 100L, "image", Map.of("train", List.of(4L)), null)
                .seal();
        String json = Json.write(byImage);
        assertTrue(json.contains("\"selection\":\"image\"") && json.contains("\"count\":100"), json);
        assertFalse(json.contains("fraction"), json);
        assertTrue(Json.read(json, SubsetManifest.class).verifies());
        SubsetManifest byQuestion =
                new SubsetManifest("synth", "100img", 3, null, 100L, null, Map.of("train", List.of(4L)), null).seal();
        assertFalse(byQuestion.sha256().equals(byImage.sha256()), "selection is part of the content");
    }

    @Test
    void readingChecksTheHashTheOrderOfIdsAndTheSize() {
        SubsetManifest sealed = new SubsetManifest(
                        "synth", "1pct", 0, 0.01, Map.of("val", List.of(9L), "train", List.of(1L, 5L)), null)
                .seal();
        String json = sealed.toJson();
        assertTrue(json.contains("\"question_ids\":{\"train\":[1,5],\"val\":[9]}"), "splits in name order: " + json);
        assertEquals(sealed, SubsetManifest.read(json, "1pct.json"));
        for (Map.Entry<String, String> bad : Map.of(
                        json.replace("[1,5]", "[1,6]"), "does not match the content",
                        json.replace("[1,5]", "[5,1]"), "question_ids.train must be ascending and distinct",
                        json.replace("\"fraction\":0.01", "\"fraction\":0.01,\"count\":3"),
                                "either a fraction or a count",
                        json.replace("\"dataset\":\"synth\",", ""), "needs dataset, name",
                        json.replace("\"seed\":0", "\"seed\":0,\"selection\":\"question\""), "selection is \"image\"")
                .entrySet()) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> SubsetManifest.read(bad.getKey(), "1pct.json"));
            assertTrue(e.getMessage().startsWith("1pct.json: "), e.getMessage());
            assertTrue(e.getMessage().contains(bad.getValue()), e.getMessage());
        }
    }

    @Test
    void imageFileNamesFollowCoco() {
        DatasetManifest.Split val = new DatasetManifest.Split(10, 4, "COCO_val2014_", "jpg");
        assertEquals("COCO_val2014_000000000042.jpg", val.imageFileName(42));
        DatasetManifest manifest = new DatasetManifest("d", Map.of("val", val), "test", Instant.EPOCH);
        assertEquals(manifest, Json.read(Json.write(manifest), DatasetManifest.class));
    }
}
