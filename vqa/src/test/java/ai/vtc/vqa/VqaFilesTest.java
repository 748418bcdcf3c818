package ai.vtc.vqa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VqaFilesTest {
    /** Copies of the golden annotations in the large files: about 10 MB, above the size read in two halves. */
    static final int COPIES = 20;

    @TempDir
    Path dir;

    @Test
    void theGoldenFilesAreWrittenBackByteForByte() throws IOException {
        // the golden files were written by Python's json.dump with one element per line, as our writers do
        // (ASCII-escaping aside, so compare parsed and re-written forms)
        VqaQuestions q = VqaQuestions.read(Golden.path("questions.json"));
        VqaAnnotations a = VqaAnnotations.read(Golden.path("annotations.json"));
        VqaResults r = VqaResults.read(Golden.path("results.json"));
        assertEquals(pythonToUtf8(Files.readString(Golden.path("questions.json"))), written(q::write));
        assertEquals(pythonToUtf8(Files.readString(Golden.path("annotations.json"))), written(a::write));
        assertEquals(pythonToUtf8(Files.readString(Golden.path("results.json"))), written(r::write));
    }

    @Test
    void writtenFilesReadBackEqual() throws IOException {
        VqaAnnotations a = VqaAnnotations.read(Golden.path("annotations.json"));
        Path file = dir.resolve("a.json");
        a.write(file);
        VqaAnnotations back = VqaAnnotations.read(file);
        assertEquals(a.asList(), back.asList());
        assertEquals(a.header(), back.header());
        assertEquals("mscoco", back.header().dataType());
        assertNull(back.header().taskType());
    }

    @Test
    void largeAnnotationFilesReadInTwoHalvesGiveTheSameResultInAnyKeyOrder() throws IOException {
        VqaAnnotations golden = VqaAnnotations.read(Golden.path("annotations.json"));
        List<VqaAnnotation> many = new ArrayList<>();
        for (int copy = 0; copy < COPIES; copy++) {
            for (VqaAnnotation x : golden.asList()) {
                many.add(new VqaAnnotation(
                        x.questionId() + copy * 1_000_000_000L,
                        x.imageId(),
                        x.questionType(),
                        x.answerType(),
                        x.multipleChoiceAnswer(),
                        x.answers()));
            }
        }
        VqaAnnotations big = VqaAnnotations.of(golden.header(), many);
        Path file = dir.resolve("big.json");
        big.write(file);
        assertTrue(Files.size(file) > 8 << 20, "large enough to be split: " + Files.size(file));
        assertSameAsSequential(file);

        // the real VQAv2 files list "annotations" before "data_type" and the fields in another order
        String text = Files.readString(file)
                .replace("\"data_type\": \"mscoco\", ", "")
                .replace("]}\n", "], \"data_type\": \"mscoco\"}\n")
                .replaceAll(
                        "\\{\"question_id\": (\\d+), \"image_id\": (\\d+), ",
                        "{\"image_id\": $2, \"question_id\": $1, ");
        Path reordered = dir.resolve("reordered.json");
        Files.writeString(reordered, text);
        VqaAnnotations r = assertSameAsSequential(reordered);
        assertEquals("mscoco", r.header().dataType());
        assertEquals(big.asList(), r.asList());

        // pretty-printed: the halves cannot be found by their first bytes, read in one piece
        Path pretty = dir.resolve("pretty.json");
        Files.writeString(pretty, text.replace("{\"image_id\"", "{\n  \"image_id\""));
        assertEquals(big.asList(), assertSameAsSequential(pretty).asList());
    }

    @Test
    void errorsInTheSecondHalfOfALargeFileNameTheirExactPosition() throws IOException {
        VqaAnnotations golden = VqaAnnotations.read(Golden.path("annotations.json"));
        List<VqaAnnotation> many = new ArrayList<>();
        for (int copy = 0; copy < COPIES; copy++) {
            for (VqaAnnotation x : golden.asList()) {
                many.add(new VqaAnnotation(
                        x.questionId() + copy * 1_000_000_000L,
                        x.imageId(),
                        x.questionType(),
                        x.answerType(),
                        x.multipleChoiceAnswer(),
                        x.answers()));
            }
        }
        Path file = dir.resolve("big.json");
        VqaAnnotations.of(golden.header(), many).write(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int bad = lines.size() * 3 / 4;
        lines.set(bad, lines.get(bad).replaceFirst("\"answer_type\"", "answer_type\""));
        Files.write(file, lines);
        VqaFormatException e = assertThrows(VqaFormatException.class, () -> VqaAnnotations.read(file));
        assertEquals(bad + 1, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith(file + ": line " + (bad + 1) + ", column "), e.getMessage());
    }

    @Test
    void malformedJsonNamesTheFileAndPosition() {
        VqaFormatException e = assertThrows(
                VqaFormatException.class,
                () -> Fixtures.readResults(
                        "[\n{\"question_id\": 1, \"answer\": \"a\"},\n{\"question_id\": 2 \"answer\": \"b\"}\n]"));
        assertEquals("results.json", e.source());
        assertEquals(3, e.line());
        assertTrue(e.getMessage().startsWith("results.json: line 3, column 19"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());

        VqaFormatException truncated =
                assertThrows(VqaFormatException.class, () -> Fixtures.readResults("[{\"question_id\": 1, \"answer\""));
        assertTrue(truncated.getMessage().contains("end-of-input"), truncated.getMessage());
    }

    @Test
    void missingOrMistypedFieldsAreNamed() {
        VqaFormatException noAnswer =
                assertThrows(VqaFormatException.class, () -> Fixtures.readResults("[{\"question_id\": 5}]"));
        assertTrue(
                noAnswer.getMessage().contains("result #0 (question_id 5) has no \"answer\""), noAnswer.getMessage());
        VqaFormatException number = assertThrows(
                VqaFormatException.class, () -> Fixtures.readResults("[{\"question_id\": \"5\", \"answer\": \"a\"}]"));
        assertTrue(
                number.getMessage().contains("\"question_id\" must be an integer, found string \"5\""),
                number.getMessage());
        VqaFormatException notAList =
                assertThrows(VqaFormatException.class, () -> Fixtures.readResults("{\"question_id\": 5}"));
        assertTrue(notAList.getMessage().contains("expected a list of results"), notAList.getMessage());
        VqaFormatException noType = assertThrows(
                VqaFormatException.class,
                () -> Fixtures.readAnnotations("{\"annotations\": [{\"question_id\": 7, \"image_id\": 0,"
                        + " \"answer_type\": \"other\", \"answers\": []}]}"));
        assertTrue(
                noType.getMessage().contains("annotation #0 (question_id 7) has no \"question_type\""),
                noType.getMessage());
        VqaFormatException noList =
                assertThrows(VqaFormatException.class, () -> Fixtures.readAnnotations("{\"info\": {}}"));
        assertTrue(noList.getMessage().contains("no \"annotations\" list"), noList.getMessage());
        VqaFormatException empty = assertThrows(VqaFormatException.class, () -> Fixtures.readAnnotations(""));
        assertTrue(empty.getMessage().contains("empty input"), empty.getMessage());
    }

    @Test
    void duplicateIdsInQuestionsOrAnnotationsAreErrors() {
        VqaFormatException e = assertThrows(
                VqaFormatException.class,
                () -> VqaQuestions.read(
                        stream("{\"questions\": [\n{\"image_id\": 1, \"question\": \"a?\", \"question_id\": 1000},\n"
                                + "{\"image_id\": 1, \"question\": \"b?\", \"question_id\": 1000}\n]}"),
                        "q.json"));
        assertTrue(e.getMessage().startsWith("q.json: line 3, column 1"), e.getMessage());
        assertTrue(e.getMessage().endsWith("duplicate question_id 1000"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Fixtures.annotations(
                        Fixtures.annotation(1000, "what", "other", "a"),
                        Fixtures.annotation(1000, "what", "other", "b")));
    }

    @Test
    void selectKeepsFileOrder() throws IOException {
        VqaQuestions q = VqaQuestions.read(Golden.path("questions.json"));
        long[] ids = {q.questionId(5), q.questionId(2)};
        VqaQuestions s = q.select(ids);
        assertArrayEquals(new long[] {q.questionId(2), q.questionId(5)}, s.questionIds());
        assertEquals(q.question(2), s.question(0));
        VqaAnnotations a = VqaAnnotations.read(Golden.path("annotations.json")).select(s.questionIds());
        a.checkMatches(s);
    }

    private static VqaAnnotations assertSameAsSequential(Path file) throws IOException {
        VqaAnnotations fast = VqaAnnotations.read(file);
        VqaAnnotations plain;
        try (InputStream in = Files.newInputStream(file)) {
            plain = VqaAnnotations.read(in, file.toString());
        }
        assertEquals(written(plain::write), written(fast::write));
        return fast;
    }

    private interface Writer {
        void write(java.io.OutputStream out) throws IOException;
    }

    private static String written(Writer w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Python's json.dump escapes non-ASCII characters; Jackson writes them as UTF-8. */
    private static String pythonToUtf8(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.startsWith("\\u", i) && i + 6 <= s.length() && (i == 0 || s.charAt(i - 1) != '\\')) {
                out.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
                i += 5;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
