package ai.vtc.dataset.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderSourceTest {
    @TempDir
    Path tmp;

    @Test
    void listsRelativePathsWithoutHiddenFiles() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("data/val2014"));
        Files.writeString(root.resolve("COCO_val2014_000000000001.jpg"), "a");
        Files.writeString(root.resolve(".DS_Store"), "b");
        Files.createDirectories(tmp.resolve("data/.git"));
        Files.writeString(tmp.resolve("data/.git/config"), "c");
        Files.writeString(tmp.resolve("data/v2_mscoco_val2014_annotations.json"), "{}");
        try (FolderSource source = new FolderSource(tmp.resolve("data"), List.of())) {
            assertEquals(
                    List.of("v2_mscoco_val2014_annotations.json", "val2014/COCO_val2014_000000000001.jpg"),
                    source.files());
            assertArrayEquals(
                    "a".getBytes(StandardCharsets.UTF_8), source.read("val2014/COCO_val2014_000000000001.jpg"));
            assertThrows(IngestProblem.class, () -> source.read("../outside.txt"));
        }
    }

    @Test
    void linksMayNotLeadOutsideTheAllowedRoots() throws IOException {
        Path outside = Files.writeString(tmp.resolve("secret.txt"), "secret");
        Path allowed = Files.createDirectories(tmp.resolve("allowed"));
        Path data = Files.createDirectories(allowed.resolve("data/val2014"));
        Files.createSymbolicLink(data.resolve("COCO_val2014_000000000001.jpg"), outside);
        Files.writeString(allowed.resolve("shared.jpg"), "shared");
        Files.createSymbolicLink(data.resolve("COCO_val2014_000000000002.jpg"), allowed.resolve("shared.jpg"));

        try (FolderSource restricted = new FolderSource(allowed.resolve("data"), List.of(allowed.toRealPath()))) {
            IngestProblem e =
                    assertThrows(IngestProblem.class, () -> restricted.read("val2014/COCO_val2014_000000000001.jpg"));
            assertTrue(e.getMessage().contains("outside the folders this service may read"), e.getMessage());
            assertArrayEquals(
                    "shared".getBytes(StandardCharsets.UTF_8),
                    restricted.read("val2014/COCO_val2014_000000000002.jpg"));
        }
        try (FolderSource open = new FolderSource(allowed.resolve("data"), List.of())) {
            assertArrayEquals(
                    "secret".getBytes(StandardCharsets.UTF_8), open.read("val2014/COCO_val2014_000000000001.jpg"));
        }
    }

    @Test
    void aLinkedFolderOutsideTheAllowedRootsIsNotWalked() throws IOException {
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("COCO_val2014_000000000003.jpg"), "not for this service");
        Path allowed = Files.createDirectories(tmp.resolve("allowed"));
        Path data = Files.createDirectories(allowed.resolve("data"));
        Files.createSymbolicLink(data.resolve("val2014"), elsewhere);

        try (FolderSource restricted = new FolderSource(data, List.of(allowed.toRealPath()))) {
            IngestProblem e = assertThrows(IngestProblem.class, restricted::files);
            assertTrue(e.getMessage().contains("val2014 leads to " + elsewhere.toRealPath()), e.getMessage());
            assertTrue(e.getMessage().contains("outside the folders this service may read"), e.getMessage());
        }
    }
}
