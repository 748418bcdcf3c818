package ai.vtc.vqa;

import ai.vtc.vqa.internal.IntList;
import ai.vtc.vqa.internal.JsonReader;
import ai.vtc.vqa.internal.LongList;
import ai.vtc.vqa.internal.StringPool;
import ai.vtc.vqa.internal.VqaJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;

/**
 * A VQAv2 results file, {@code [{"question_id": 1, "answer": "yes"}, ...]}, in file order. DocVQA's submission format
 * {@code [{"questionId": 1, "answer": "..."}]} is read alike. Repeated question ids are kept as read;
 * {@link VqaEvaluator} reports them. Immutable.
 */
public final class VqaResults {
    final long[] questionIds;
    final int[] answers;
    final StringPool strings;

    private VqaResults(Builder b) {
        this.questionIds = b.questionIds.toArray();
        this.answers = b.answers.toArray();
        this.strings = b.strings;
    }

    public static VqaResults read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads a results file from a stream (not closed); {@code source} names it in errors. */
    public static VqaResults read(InputStream in, String source) throws IOException {
        try (JsonReader r = JsonReader.open(in, source)) {
            r.expectFirst(JsonToken.START_ARRAY, "a list of results [{question_id, answer}]");
            Builder b = new Builder();
            JsonReader.FieldOrder fields = new JsonReader.FieldOrder();
            while (r.next() == JsonToken.START_OBJECT) {
                JsonLocation at = r.location();
                long questionId = Long.MIN_VALUE;
                int answer = -1;
                String field;
                for (int position = 0; (field = r.nextField(fields, position)) != null; position++) {
                    r.next();
                    switch (field) {
                        case "question_id", "questionId" -> questionId = r.longValue(field);
                        case "answer" -> answer = r.internString(b.strings, field);
                        default -> r.skipValue();
                    }
                }
                if (questionId == Long.MIN_VALUE) {
                    throw r.error(at, "result #" + b.size() + " has no \"question_id\" (or DocVQA's \"questionId\")");
                }
                if (answer < 0) {
                    throw r.error(at, "result #" + b.size() + " (question_id " + questionId + ") has no \"answer\"");
                }
                b.questionIds.add(questionId);
                b.answers.add(answer);
            }
            r.expect(JsonToken.END_ARRAY, "a result object {question_id, answer}");
            r.expectEnd();
            return b.build();
        } catch (JsonProcessingException e) {
            throw JsonReader.malformed(source, e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static VqaResults of(List<VqaResult> results) {
        Builder b = builder();
        results.forEach(r -> b.add(r.questionId(), r.answer()));
        return b.build();
    }

    public int size() {
        return questionIds.length;
    }

    public long questionId(int i) {
        return questionIds[i];
    }

    public String answer(int i) {
        return strings.get(answers[i]);
    }

    public VqaResult get(int i) {
        return new VqaResult(questionIds[i], answer(i));
    }

    public List<VqaResult> asList() {
        return new AbstractList<>() {
            @Override
            public VqaResult get(int i) {
                return VqaResults.this.get(i);
            }

            @Override
            public int size() {
                return questionIds.length;
            }
        };
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out);
        }
    }

    /** Writes {@code [{"question_id": ..., "answer": ...}, ...]}, one result per line; not closed. */
    public void write(OutputStream out) throws IOException {
        try (JsonGenerator g = VqaJson.fileGenerator(out)) {
            g.writeStartArray();
            for (int i = 0; i < questionIds.length; i++) {
                g.writeStartObject();
                g.writeNumberField("question_id", questionIds[i]);
                g.writeStringField("answer", answer(i));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeRaw('\n');
        }
        out.flush();
    }

    /** Collects predictions in order. */
    public static final class Builder {
        private final LongList questionIds = new LongList(1024);
        private final IntList answers = new IntList(1024);
        private final StringPool strings = new StringPool();

        private Builder() {}

        public Builder add(long questionId, String answer) {
            questionIds.add(questionId);
            answers.add(strings.intern(answer));
            return this;
        }

        public int size() {
            return questionIds.size();
        }

        public VqaResults build() {
            return new VqaResults(this);
        }
    }
}
