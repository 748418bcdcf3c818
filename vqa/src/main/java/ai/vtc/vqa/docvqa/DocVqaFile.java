package ai.vtc.vqa.docvqa;

import ai.vtc.vqa.VqaFormatException;
import ai.vtc.vqa.internal.JsonReader;
import ai.vtc.vqa.internal.VqaJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DocVQA annotation file ({@code val_v1.0.json}): {@code {"dataset_name", "dataset_version", "dataset_split",
 * "data": [{"questionId", "question", "image", "docId", "answers", "question_types", "data_split"}]}}. Reading checks
 * what scoring and ingest need and names the entry that lacks it: every entry has an integer {@code questionId}
 * (unique in the file), a {@code question}, an {@code image} and a non-empty list of string {@code answers}. DocVQA's
 * test split, which has no answers, is therefore refused. Other members are ignored. Files are at most tens of
 * megabytes (DocVQA train: 39,463 questions), so they are read whole. Immutable.
 *
 * @param datasetName {@code dataset_name} ({@code docVQA}); null when absent
 * @param datasetVersion {@code dataset_version}; null when absent
 * @param datasetSplit {@code dataset_split}; null when absent
 */
public record DocVqaFile(String datasetName, String datasetVersion, String datasetSplit, List<DocVqaQuestion> data) {
    public DocVqaFile {
        data = List.copyOf(data);
    }

    public static DocVqaFile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads a file from a stream (not closed); {@code source} names it in errors. */
    public static DocVqaFile read(InputStream in, String source) throws IOException {
        JsonNode root;
        try {
            root = VqaJson.MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw JsonReader.malformed(source, e);
        }
        if (root == null || !root.isObject()) {
            throw new VqaFormatException(source, null, "expected a DocVQA annotation object {\"data\": [...]}");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isArray()) {
            throw new VqaFormatException(
                    source, null, "no \"data\" list of questions (a DocVQA annotation file has one)");
        }
        List<DocVqaQuestion> entries = new ArrayList<>(data.size());
        Map<Long, Integer> seen = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            DocVqaQuestion q = entry(data.get(i), i, source);
            Integer earlier = seen.putIfAbsent(q.questionId(), i);
            if (earlier != null) {
                throw new VqaFormatException(
                        source, null, "entry #" + i + ": questionId " + q.questionId() + " is also entry #" + earlier);
            }
            entries.add(q);
        }
        return new DocVqaFile(
                text(root, "dataset_name"), text(root, "dataset_version"), text(root, "dataset_split"), entries);
    }

    private static DocVqaQuestion entry(JsonNode e, int index, String source) throws VqaFormatException {
        String where = "entry #" + index;
        if (!e.isObject()) {
            throw new VqaFormatException(source, null, where + " of \"data\" is not an object");
        }
        JsonNode id = e.get("questionId");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToLong()) {
            throw new VqaFormatException(
                    source, null, where + (id == null ? " has no \"questionId\"" : ": questionId is not an integer"));
        }
        long questionId = id.longValue();
        where += " (questionId " + questionId + ")";
        String question = requiredText(e, "question", where, source);
        String image = requiredText(e, "image", where, source);
        if (image.isEmpty()) {
            throw new VqaFormatException(source, null, where + " names no image (\"image\" is empty)");
        }
        JsonNode answers = e.get("answers");
        if (answers == null || answers.isNull()) {
            throw new VqaFormatException(
                    source,
                    null,
                    where + " has no \"answers\" (a split without answers cannot be scored or trained on)");
        }
        if (!answers.isArray() || answers.isEmpty()) {
            throw new VqaFormatException(source, null, where + ": \"answers\" must be a non-empty list of strings");
        }
        List<String> list = new ArrayList<>(answers.size());
        for (JsonNode a : answers) {
            if (!a.isTextual()) {
                throw new VqaFormatException(source, null, where + ": answer " + a + " is not a string");
            }
            list.add(a.textValue());
        }
        JsonNode doc = e.get("docId");
        Long docId = doc != null && doc.isIntegralNumber() && doc.canConvertToLong() ? doc.longValue() : null;
        List<String> types = new ArrayList<>();
        JsonNode qt = e.get("question_types");
        if (qt != null && qt.isArray()) {
            qt.forEach(t -> types.add(t.asText()));
        }
        return new DocVqaQuestion(questionId, question, image, docId, list, types, text(e, "data_split"));
    }

    private static String requiredText(JsonNode e, String field, String where, String source)
            throws VqaFormatException {
        JsonNode v = e.get(field);
        if (v == null || !v.isTextual()) {
            throw new VqaFormatException(
                    source,
                    null,
                    where + (v == null ? " has no \"" + field + "\"" : ": \"" + field + "\" is not a string"));
        }
        return v.textValue();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    public int size() {
        return data.size();
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out);
        }
    }

    /** Writes the DocVQA layout, one entry per line; {@code out} is not closed. */
    public void write(OutputStream out) throws IOException {
        try (JsonGenerator g = VqaJson.fileGenerator(out)) {
            g.writeStartObject();
            optional(g, "dataset_name", datasetName);
            optional(g, "dataset_version", datasetVersion);
            optional(g, "dataset_split", datasetSplit);
            g.writeArrayFieldStart("data");
            for (DocVqaQuestion q : data) {
                g.writeStartObject();
                g.writeNumberField("questionId", q.questionId());
                g.writeStringField("question", q.question());
                g.writeStringField("image", q.image());
                if (q.docId() != null) {
                    g.writeNumberField("docId", q.docId());
                }
                g.writeArrayFieldStart("answers");
                for (String a : q.answers()) {
                    g.writeString(a);
                }
                g.writeEndArray();
                if (!q.questionTypes().isEmpty()) {
                    g.writeArrayFieldStart("question_types");
                    for (String t : q.questionTypes()) {
                        g.writeString(t);
                    }
                    g.writeEndArray();
                }
                optional(g, "data_split", q.dataSplit());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
        out.flush();
    }

    private static void optional(JsonGenerator g, String field, String value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value);
        }
    }
}
