package ai.vtc.vqa;

import ai.vtc.vqa.internal.IntList;
import ai.vtc.vqa.internal.JsonReader;
import ai.vtc.vqa.internal.LongIndex;
import ai.vtc.vqa.internal.LongList;
import ai.vtc.vqa.internal.StringPool;
import ai.vtc.vqa.internal.VqaJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;

/**
 * A VQAv2 questions file ({@code v2_OpenEnded_mscoco_val2014_questions.json}): header plus
 * {@code questions[{image_id, question, question_id}]}, in file order, stored column-wise with interned texts.
 * Immutable.
 */
public final class VqaQuestions {
    private final VqaHeader header;
    private final long[] questionIds;
    private final long[] imageIds;
    private final int[] textIds;
    private final StringPool texts;
    private final LongIndex index;

    private VqaQuestions(Builder b) {
        this.header = b.header;
        this.questionIds = b.questionIds.toArray();
        this.imageIds = b.imageIds.toArray();
        this.textIds = b.textIds.toArray();
        this.texts = b.texts;
        this.index = b.index;
    }

    public static VqaQuestions read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads a questions file from a stream (not closed); {@code source} names it in errors. */
    public static VqaQuestions read(InputStream in, String source) throws IOException {
        try (JsonReader r = JsonReader.open(in, source)) {
            r.expectFirst(JsonToken.START_OBJECT, "a VQA questions object");
            JsonNode info = null;
            JsonNode license = null;
            String taskType = null;
            String dataType = null;
            String dataSubtype = null;
            Builder b = null;
            while (r.next() == JsonToken.FIELD_NAME) {
                String field = r.fieldName();
                r.next();
                switch (field) {
                    case "info" -> info = r.readTree();
                    case "license" -> license = r.readTree();
                    case "task_type" -> taskType = r.stringValue(field);
                    case "data_type" -> dataType = r.stringValue(field);
                    case "data_subtype" -> dataSubtype = r.stringValue(field);
                    case "questions" -> b = readList(r);
                    default -> r.skipValue();
                }
            }
            r.expectEnd();
            if (b == null) {
                throw r.error(null, "no \"questions\" list");
            }
            b.header = new VqaHeader(info, taskType, dataType, dataSubtype, license);
            return b.build();
        } catch (JsonProcessingException e) {
            throw JsonReader.malformed(source, e);
        }
    }

    private static Builder readList(JsonReader r) throws IOException {
        r.expect(JsonToken.START_ARRAY, "\"questions\" to be a list");
        Builder b = new Builder(null);
        JsonReader.FieldOrder fields = new JsonReader.FieldOrder();
        while (r.next() == JsonToken.START_OBJECT) {
            JsonLocation at = r.location();
            long questionId = Long.MIN_VALUE;
            long imageId = Long.MIN_VALUE;
            int text = -1;
            String field;
            for (int position = 0; (field = r.nextField(fields, position)) != null; position++) {
                r.next();
                switch (field) {
                    case "question_id" -> questionId = r.longValue(field);
                    case "image_id" -> imageId = r.longValue(field);
                    case "question" -> text = r.internString(b.texts, field);
                    default -> r.skipValue();
                }
            }
            if (questionId == Long.MIN_VALUE || imageId == Long.MIN_VALUE || text < 0) {
                String where = "question #" + b.questionIds.size();
                String missing = questionId == Long.MIN_VALUE
                        ? "question_id"
                        : imageId == Long.MIN_VALUE ? "image_id" : text < 0 ? "question" : "?";
                if (questionId != Long.MIN_VALUE) {
                    where += " (question_id " + questionId + ")";
                }
                throw r.error(at, where + " has no \"" + missing + "\"");
            }
            if (!b.addInterned(questionId, imageId, text)) {
                throw r.error(at, "duplicate question_id " + questionId);
            }
        }
        r.expect(JsonToken.END_ARRAY, "a question object");
        return b;
    }

    public static Builder builder(VqaHeader header) {
        return new Builder(header);
    }

    public static VqaQuestions of(VqaHeader header, List<VqaQuestion> questions) {
        Builder b = builder(header);
        questions.forEach(b::add);
        return b.build();
    }

    public VqaHeader header() {
        return header;
    }

    public int size() {
        return questionIds.length;
    }

    public long questionId(int i) {
        return questionIds[i];
    }

    public long imageId(int i) {
        return imageIds[i];
    }

    public String question(int i) {
        return texts.get(textIds[i]);
    }

    public VqaQuestion get(int i) {
        return new VqaQuestion(imageIds[i], question(i), questionIds[i]);
    }

    /** Position of {@code questionId} in the file, or -1. */
    public int indexOf(long questionId) {
        return index.get(questionId);
    }

    public boolean contains(long questionId) {
        return index.get(questionId) >= 0;
    }

    /** The question ids in file order (a copy). */
    public long[] questionIds() {
        return questionIds.clone();
    }

    public List<VqaQuestion> asList() {
        return new AbstractList<>() {
            @Override
            public VqaQuestion get(int i) {
                return VqaQuestions.this.get(i);
            }

            @Override
            public int size() {
                return questionIds.length;
            }
        };
    }

    /** The questions whose ids are in {@code ids}, in file order; unknown ids are an error. */
    public VqaQuestions select(long[] ids) {
        boolean[] keep = new boolean[size()];
        for (long id : ids) {
            int i = indexOf(id);
            if (i < 0) {
                throw new IllegalArgumentException("unknown question_id " + id);
            }
            keep[i] = true;
        }
        Builder b = builder(header);
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                b.add(questionIds[i], imageIds[i], question(i));
            }
        }
        return b.build();
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out);
        }
    }

    /** Writes the VQAv2 layout ({@code info, task_type, data_type, data_subtype, license, questions}); not closed. */
    public void write(OutputStream out) throws IOException {
        try (JsonGenerator g = VqaJson.fileGenerator(out)) {
            g.writeStartObject();
            HeaderWriter.write(g, header, true);
            g.writeArrayFieldStart("questions");
            for (int i = 0; i < questionIds.length; i++) {
                g.writeStartObject();
                g.writeNumberField("image_id", imageIds[i]);
                g.writeStringField("question", question(i));
                g.writeNumberField("question_id", questionIds[i]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
        out.flush();
    }

    /** Collects questions in order; duplicate question ids are rejected. */
    public static final class Builder {
        private VqaHeader header;
        private final LongList questionIds = new LongList(1024);
        private final LongList imageIds = new LongList(1024);
        private final IntList textIds = new IntList(1024);
        private final StringPool texts = new StringPool();
        private final LongIndex index = new LongIndex(1024);

        private Builder(VqaHeader header) {
            this.header = header;
        }

        public Builder add(VqaQuestion q) {
            return add(q.questionId(), q.imageId(), q.question());
        }

        public Builder add(long questionId, long imageId, String question) {
            if (!addInterned(questionId, imageId, texts.intern(question))) {
                throw new IllegalArgumentException("duplicate question_id " + questionId);
            }
            return this;
        }

        private boolean addInterned(long questionId, long imageId, int text) {
            if (index.putIfAbsent(questionId, questionIds.size()) >= 0) {
                return false;
            }
            questionIds.add(questionId);
            imageIds.add(imageId);
            textIds.add(text);
            return true;
        }

        public int size() {
            return questionIds.size();
        }

        public VqaQuestions build() {
            return new VqaQuestions(this);
        }
    }
}
