package ai.vtc.vqa.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.vqa.AnlsEvaluator;
import ai.vtc.vqa.AnlsScores;
import ai.vtc.vqa.VqaResult;
import ai.vtc.vqa.VqaResults;
import ai.vtc.vqa.docvqa.DocVqaConversion;
import ai.vtc.vqa.docvqa.DocVqaFile;
import ai.vtc.vqa.docvqa.DocVqaQuestion;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDocVqaTest {
    @TempDir
    Path dir;

    static SyntheticDocVqa.Options small(long seed) {
        return SyntheticDocVqa.Options.defaults()
                .withSeed(seed)
                .withDocuments(12, 3)
                .withImageSize(160);
    }

    @Test
    void theSameSeedGivesIdenticalBytes() throws IOException {
        SyntheticDocVqa.generate(dir.resolve("a"), small(5));
        SyntheticDocVqa.generate(dir.resolve("b"), small(5));
        TreeMap<String, byte[]> a = files(dir.resolve("a"));
        TreeMap<String, byte[]> b = files(dir.resolve("b"));
        assertEquals(a.keySet(), b.keySet());
        assertEquals(2 + 15, a.size(), "two annotation files and 15 documents");
        a.forEach((name, bytes) -> assertArrayEquals(bytes, b.get(name), name));
    }

    @Test
    void theFilesAreDocVqasLayoutWithDecodableDocumentsAndAPerfectPredictionScoresOne() throws IOException {
        SyntheticDocVqa.Generated g = SyntheticDocVqa.generate(dir, small(2));
        SyntheticDocVqa.Split val = g.split("val");
        DocVqaFile file = DocVqaFile.read(val.annotationsFile());
        assertEquals(SyntheticDocVqa.DATASET_NAME, file.datasetName());
        assertEquals(12, file.size());
        List<VqaResult> perfect = new ArrayList<>();
        for (DocVqaQuestion q : file.data()) {
            BufferedImage image = ImageIO.read(val.folder().resolve(q.image()).toFile());
            assertNotNull(image, q.image());
            assertEquals(160, image.getWidth());
            assertTrue(q.questionId() / 100 == q.docId() && q.docId() > 12, "val documents follow the train ones");
            perfect.add(new VqaResult(q.questionId(), q.answers().get(0)));
        }
        AnlsScores scores = AnlsEvaluator.evaluate(
                DocVqaConversion.toVqa(file, "val", "test").annotations(), VqaResults.of(perfect));
        assertEquals(1.0, scores.anls());
        assertEquals(1.0, scores.levenshteinSimilarity());
    }

    @Test
    void everyAnswerIsPrintedOnItsDocument() {
        SyntheticDocVqa.Options o = small(9);
        List<DocumentKind> kinds = new ArrayList<>(EnumSet.allOf(DocumentKind.class));
        EnumSet<DocumentKind> seen = EnumSet.noneOf(DocumentKind.class);
        for (int i = 0; i < 60; i++) {
            SyntheticDocument doc = SyntheticDocVqa.make(o, kinds, 0, i);
            seen.add(doc.kind());
            String printed = String.join(
                    "\n",
                    doc.page().texts().stream().map(DocumentPage.Text::text).toList());
            for (DocQa qa : doc.questions()) {
                assertTrue(
                        printed.contains(qa.answers().get(0)),
                        doc.kind() + ": '" + qa.answers().get(0) + "' (" + qa.question() + ") is not printed");
            }
        }
        assertEquals(EnumSet.allOf(DocumentKind.class), seen);
    }

    private static TreeMap<String, byte[]> files(Path root) throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }
}
