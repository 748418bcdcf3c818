package ai.vtc.vqa;

import ai.vtc.vqa.internal.IntList;
import ai.vtc.vqa.internal.JsonReader;
import ai.vtc.vqa.internal.ListSplitter;
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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A VQAv2 annotations file ({@code v2_mscoco_val2014_annotations.json}): header plus
 * {@code annotations[{question_id, image_id, question_type, answer_type, multiple_choice_answer, answers[...]}]} in
 * file order. Stored column-wise with every string interned once (the VQAv2 train set, 4.4 M answers, takes about
 * 60 MB). Immutable.
 */
public final class VqaAnnotations {
    /** {@link #answerIds} value of an answer without {@code answer_id}. */
    static final int NO_ANSWER_ID = Integer.MIN_VALUE;

    private final VqaHeader header;
    final long[] questionIds;
    final long[] imageIds;
    final int[] questionTypes;
    final int[] answerTypes;
    /** -1 when absent. */
    final int[] multipleChoiceAnswers;
    /** Answers of annotation i are [answerStart[i], answerStart[i + 1]). */
    final int[] answerStart;

    final int[] answers;
    /** -1 when absent. */
    final int[] confidences;
    /** Null when every annotation numbers its answers 1, 2, 3, ... (VQAv2 always does). */
    final int[] answerIds;

    final StringPool strings;
    private final LongIndex index;

    private VqaAnnotations(Builder b) {
        this.header = b.header;
        this.questionIds = b.questionIds.toArray();
        this.imageIds = b.imageIds.toArray();
        this.questionTypes = b.questionTypes.toArray();
        this.answerTypes = b.answerTypes.toArray();
        this.multipleChoiceAnswers = b.multipleChoiceAnswers.toArray();
        b.answerStart.add(b.answers.size());
        this.answerStart = b.answerStart.toArray();
        this.answers = b.answers.toArray();
        this.confidences = b.confidences.toArray();
        this.answerIds = b.answerIds == null ? null : b.answerIds.toArray();
        this.strings = b.strings;
        this.index = b.index;
    }

    /** Files at least this large are parsed as two halves on two threads. */
    private static final long PARALLEL_MIN_BYTES = 8L << 20;

    private static final byte[] SECOND_HALF_PREFIX = "{\"annotations\":[".getBytes(StandardCharsets.UTF_8);

    /** Reads an annotations file; a large one is parsed in two halves concurrently when two cores are available. */
    public static VqaAnnotations read(Path file) throws IOException {
        String source = file.toString();
        if (Files.size(file) >= PARALLEL_MIN_BYTES && Runtime.getRuntime().availableProcessors() > 1) {
            return readInHalves(file, source);
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, source);
        }
    }

    /** Reads an annotations file from a stream (not closed); {@code source} names it in errors. */
    public static VqaAnnotations read(InputStream in, String source) throws IOException {
        return parse(in, source, Long.MAX_VALUE).toAnnotations(source);
    }

    /**
     * The first half is parsed from the start up to the first annotation at or after the middle byte. Meanwhile
     * another thread finds where that annotation starts ({@link ListSplitter}) and parses from there, as if the file
     * were {@code {"annotations":[} followed by the rest. The halves are joined when the first one stopped exactly
     * where the second began; in any other case (an unusual layout, or an error in the second half, reported with
     * its exact position) the file is read again in one piece.
     */
    private static VqaAnnotations readInHalves(Path file, String source) throws IOException {
        long middle = Files.size(file) / 2;
        CompletableFuture<Part> second = new CompletableFuture<>();
        long[] splitOffset = {-1};
        Thread worker = new Thread(
                () -> {
                    try {
                        ListSplitter.Split split = ListSplitter.find(file, "annotations", middle);
                        if (split == null) {
                            second.complete(null);
                            return;
                        }
                        splitOffset[0] = split.offset();
                        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                                InputStream rest = new SequenceInputStream(
                                        new ByteArrayInputStream(SECOND_HALF_PREFIX),
                                        Channels.newInputStream(ch.position(split.offset())))) {
                            second.complete(parse(rest, source, Long.MAX_VALUE));
                        }
                    } catch (Throwable e) {
                        second.completeExceptionally(e);
                    }
                },
                "vqa-annotations-second-half");
        worker.setDaemon(true);
        worker.start();

        Part first;
        try (InputStream in = Files.newInputStream(file)) {
            first = parse(in, source, middle);
        }
        Part rest;
        try {
            rest = second.join();
        } catch (CompletionException e) {
            rest = null;
        }
        if (!first.stopped) {
            return first.toAnnotations(source);
        }
        if (rest == null || first.stoppedAt != splitOffset[0]) {
            try (InputStream in = Files.newInputStream(file)) {
                return read(in, source);
            }
        }
        first.join(rest, source);
        return first.toAnnotations(source);
    }

    /** What one parse saw: the annotations and the header members. */
    private static final class Part {
        Builder builder;
        JsonNode info;
        JsonNode license;
        String taskType;
        String dataType;
        String dataSubtype;
        /** The list was left at the stop offset; the rest of the file was not read. */
        boolean stopped;
        /** Byte offset of the annotation the parse stopped at. */
        long stoppedAt = -1;

        void join(Part rest, String source) throws VqaFormatException {
            builder.appendAll(rest.builder, source);
            info = info != null ? info : rest.info;
            license = license != null ? license : rest.license;
            taskType = taskType != null ? taskType : rest.taskType;
            dataType = dataType != null ? dataType : rest.dataType;
            dataSubtype = dataSubtype != null ? dataSubtype : rest.dataSubtype;
        }

        VqaAnnotations toAnnotations(String source) throws VqaFormatException {
            if (builder == null) {
                throw new VqaFormatException(source, null, "no \"annotations\" list");
            }
            builder.header = new VqaHeader(info, taskType, dataType, dataSubtype, license);
            return builder.build();
        }
    }

    /** Parses the root object; stops inside the list at the first annotation starting at or after {@code stopAt}. */
    private static Part parse(InputStream in, String source, long stopAt) throws IOException {
        try (JsonReader r = JsonReader.open(in, source)) {
            try {
                r.expectFirst(JsonToken.START_OBJECT, "a VQA annotations object");
                Part p = new Part();
                while (r.next() == JsonToken.FIELD_NAME) {
                    String field = r.fieldName();
                    r.next();
                    switch (field) {
                        case "info" -> p.info = r.readTree();
                        case "license" -> p.license = r.readTree();
                        case "task_type" -> p.taskType = r.stringValue(field);
                        case "data_type" -> p.dataType = r.stringValue(field);
                        case "data_subtype" -> p.dataSubtype = r.stringValue(field);
                        case "annotations" -> {
                            if (p.builder != null) {
                                throw r.error("\"annotations\" given twice");
                            }
                            p.builder = new Builder(null);
                            p.stoppedAt = readList(r, p.builder, stopAt);
                            if (p.stoppedAt >= 0) {
                                p.stopped = true;
                                return p;
                            }
                        }
                        default -> r.skipValue();
                    }
                }
                r.expectEnd();
                return p;
            } catch (JsonProcessingException e) {
                throw r.malformed(e);
            }
        }
    }

    /**
     * Reads the list into {@code b}: -1 at its end, or the byte offset of the first annotation at or after
     * {@code stopAt}, where it stopped.
     */
    private static long readList(JsonReader r, Builder b, long stopAt) throws IOException {
        r.expect(JsonToken.START_ARRAY, "\"annotations\" to be a list");
        StringPool pool = b.strings;
        JsonReader.FieldOrder annotationFields = new JsonReader.FieldOrder();
        JsonReader.FieldOrder answerFields = new JsonReader.FieldOrder();
        while (r.next() == JsonToken.START_OBJECT) {
            JsonLocation at = r.location();
            if (at.getByteOffset() >= stopAt) {
                return at.getByteOffset();
            }
            long questionId = Long.MIN_VALUE;
            long imageId = Long.MIN_VALUE;
            int questionType = -1;
            int answerType = -1;
            int mca = -1;
            int firstAnswer = -1;
            String field;
            for (int position = 0; (field = r.nextField(annotationFields, position)) != null; position++) {
                r.next();
                switch (field) {
                    case "question_id" -> questionId = r.longValue(field);
                    case "image_id" -> imageId = r.longValue(field);
                    case "question_type" -> questionType = r.internString(pool, field);
                    case "answer_type" -> answerType = r.internString(pool, field);
                    case "multiple_choice_answer" -> mca = r.internString(pool, field);
                    case "answers" -> {
                        if (firstAnswer >= 0) {
                            throw r.error("\"answers\" given twice");
                        }
                        firstAnswer = b.answers.size();
                        readAnswers(r, b, answerFields);
                    }
                    default -> r.skipValue();
                }
            }
            if (questionId == Long.MIN_VALUE
                    || imageId == Long.MIN_VALUE
                    || questionType < 0
                    || answerType < 0
                    || firstAnswer < 0) {
                String where = "annotation #" + b.questionIds.size();
                String missing = questionId == Long.MIN_VALUE
                        ? "question_id"
                        : imageId == Long.MIN_VALUE
                                ? "image_id"
                                : questionType < 0
                                        ? "question_type"
                                        : answerType < 0 ? "answer_type" : firstAnswer < 0 ? "answers" : "?";
                if (questionId != Long.MIN_VALUE) {
                    where += " (question_id " + questionId + ")";
                }
                throw r.error(at, where + " has no \"" + missing + "\"");
            }
            if (!b.addAnnotation(questionId, imageId, questionType, answerType, mca, firstAnswer)) {
                throw r.error(at, "duplicate question_id " + questionId);
            }
        }
        r.expect(JsonToken.END_ARRAY, "an annotation object");
        return -1;
    }

    private static void readAnswers(JsonReader r, Builder b, JsonReader.FieldOrder fields) throws IOException {
        r.expect(JsonToken.START_ARRAY, "\"answers\" to be a list");
        int k = 0;
        while (r.next() == JsonToken.START_OBJECT) {
            int answer = -1;
            int confidence = -1;
            int answerId = NO_ANSWER_ID;
            String field;
            for (int position = 0; (field = r.nextField(fields, position)) != null; position++) {
                r.next();
                switch (field) {
                    case "answer" -> answer = r.internString(b.strings, field);
                    case "answer_confidence" -> confidence = r.internString(b.strings, field);
                    case "answer_id" -> answerId = r.intValue(field);
                    default -> r.skipValue();
                }
            }
            if (answer < 0) {
                throw r.error("answer #" + k + " has no \"answer\"");
            }
            b.addAnswer(answer, confidence, answerId, k++);
        }
        r.expect(JsonToken.END_ARRAY, "an answer object");
    }

    public static Builder builder(VqaHeader header) {
        return new Builder(header);
    }

    public static VqaAnnotations of(VqaHeader header, List<VqaAnnotation> annotations) {
        Builder b = builder(header);
        annotations.forEach(b::add);
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

    public String questionType(int i) {
        return strings.get(questionTypes[i]);
    }

    public String answerType(int i) {
        return strings.get(answerTypes[i]);
    }

    /** Null when the file has none. */
    public String multipleChoiceAnswer(int i) {
        int id = multipleChoiceAnswers[i];
        return id < 0 ? null : strings.get(id);
    }

    public int answerCount(int i) {
        return answerStart[i + 1] - answerStart[i];
    }

    public String answer(int i, int j) {
        return strings.get(answers[answerStart[i] + j]);
    }

    public VqaAnswer answerEntry(int i, int j) {
        int k = answerStart[i] + j;
        Integer id = answerIds == null ? Integer.valueOf(j + 1) : answerIds[k] == NO_ANSWER_ID ? null : answerIds[k];
        return new VqaAnswer(strings.get(answers[k]), confidences[k] < 0 ? null : strings.get(confidences[k]), id);
    }

    public VqaAnnotation get(int i) {
        List<VqaAnswer> list = new ArrayList<>(answerCount(i));
        for (int j = 0; j < answerCount(i); j++) {
            list.add(answerEntry(i, j));
        }
        return new VqaAnnotation(
                questionIds[i], imageIds[i], questionType(i), answerType(i), multipleChoiceAnswer(i), list);
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

    public List<VqaAnnotation> asList() {
        return new AbstractList<>() {
            @Override
            public VqaAnnotation get(int i) {
                return VqaAnnotations.this.get(i);
            }

            @Override
            public int size() {
                return questionIds.length;
            }
        };
    }

    /** The annotations whose ids are in {@code ids}, in file order; unknown ids are an error. */
    public VqaAnnotations select(long[] ids) {
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
                b.add(get(i));
            }
        }
        return b.build();
    }

    /**
     * Checks that {@code questions} and these annotations name the same question ids, each with the same image.
     *
     * @throws IdMismatchException listing questions without annotations and annotations without questions
     */
    public void checkMatches(VqaQuestions questions) {
        IdMismatchException.Collector c = new IdMismatchException.Collector(
                "the questions and annotations", "questions without an annotation", "annotations without a question");
        boolean[] seen = new boolean[size()];
        for (int q = 0; q < questions.size(); q++) {
            long id = questions.questionId(q);
            int i = indexOf(id);
            if (i < 0) {
                c.missing(id);
            } else {
                seen[i] = true;
                if (imageIds[i] != questions.imageId(q)) {
                    c.conflict(
                            id,
                            "image_id " + questions.imageId(q) + " in the questions, " + imageIds[i]
                                    + " in the annotations");
                }
            }
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                c.unknown(questionIds[i]);
            }
        }
        c.throwIfAny();
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out);
        }
    }

    /** Writes the VQAv2 layout ({@code info, license, data_type, data_subtype, annotations}); not closed. */
    public void write(OutputStream out) throws IOException {
        try (JsonGenerator g = VqaJson.fileGenerator(out)) {
            g.writeStartObject();
            HeaderWriter.write(g, header, false);
            g.writeArrayFieldStart("annotations");
            for (int i = 0; i < questionIds.length; i++) {
                g.writeStartObject();
                g.writeNumberField("question_id", questionIds[i]);
                g.writeNumberField("image_id", imageIds[i]);
                g.writeStringField("question_type", questionType(i));
                g.writeStringField("answer_type", answerType(i));
                if (multipleChoiceAnswers[i] >= 0) {
                    g.writeStringField("multiple_choice_answer", multipleChoiceAnswer(i));
                }
                g.writeArrayFieldStart("answers");
                for (int k = answerStart[i]; k < answerStart[i + 1]; k++) {
                    g.writeStartObject();
                    g.writeStringField("answer", strings.get(answers[k]));
                    if (confidences[k] >= 0) {
                        g.writeStringField("answer_confidence", strings.get(confidences[k]));
                    }
                    int id = answerIds == null ? k - answerStart[i] + 1 : answerIds[k];
                    if (id != NO_ANSWER_ID) {
                        g.writeNumberField("answer_id", id);
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        }
        out.flush();
    }

    /** Collects annotations in order; duplicate question ids are rejected. */
    public static final class Builder {
        private VqaHeader header;
        private final LongList questionIds = new LongList(1024);
        private final LongList imageIds = new LongList(1024);
        private final IntList questionTypes = new IntList(1024);
        private final IntList answerTypes = new IntList(1024);
        private final IntList multipleChoiceAnswers = new IntList(1024);
        private final IntList answerStart = new IntList(1024);
        private final IntList answers = new IntList(10240);
        private final IntList confidences = new IntList(10240);
        private IntList answerIds;
        private final StringPool strings = new StringPool();
        private final LongIndex index = new LongIndex(1024);

        private Builder(VqaHeader header) {
            this.header = header;
        }

        public Builder add(VqaAnnotation a) {
            if (index.get(a.questionId()) >= 0) {
                throw new IllegalArgumentException("duplicate question_id " + a.questionId());
            }
            int first = answers.size();
            int k = 0;
            for (VqaAnswer answer : a.answers()) {
                addAnswer(
                        strings.intern(answer.answer()),
                        answer.answerConfidence() == null ? -1 : strings.intern(answer.answerConfidence()),
                        answer.answerId() == null ? NO_ANSWER_ID : answer.answerId(),
                        k++);
            }
            addAnnotation(
                    a.questionId(),
                    a.imageId(),
                    strings.intern(a.questionType()),
                    strings.intern(a.answerType()),
                    a.multipleChoiceAnswer() == null ? -1 : strings.intern(a.multipleChoiceAnswer()),
                    first);
            return this;
        }

        public int size() {
            return questionIds.size();
        }

        public VqaAnnotations build() {
            return new VqaAnnotations(this);
        }

        /** Appends everything {@code other} collected (the second half of a file); repeated ids are an error. */
        private void appendAll(Builder other, String source) throws VqaFormatException {
            int[] remap = new int[other.strings.size()];
            for (int s = 0; s < remap.length; s++) {
                remap[s] = strings.intern(other.strings.get(s));
            }
            if (answerIds == null && other.answerIds != null) {
                answerIds = numbered(answerStart, answers.size());
            }
            IntList otherIds = answerIds == null
                    ? null
                    : other.answerIds != null ? other.answerIds : numbered(other.answerStart, other.answers.size());
            int base = answers.size();
            for (int k = 0; k < other.answers.size(); k++) {
                answers.add(remap[other.answers.get(k)]);
                int c = other.confidences.get(k);
                confidences.add(c < 0 ? c : remap[c]);
                if (otherIds != null) {
                    answerIds.add(otherIds.get(k));
                }
            }
            for (int i = 0; i < other.questionIds.size(); i++) {
                long id = other.questionIds.get(i);
                int mca = other.multipleChoiceAnswers.get(i);
                boolean added = addAnnotation(
                        id,
                        other.imageIds.get(i),
                        remap[other.questionTypes.get(i)],
                        remap[other.answerTypes.get(i)],
                        mca < 0 ? mca : remap[mca],
                        other.answerStart.get(i) + base);
                if (!added) {
                    throw new VqaFormatException(source, null, "duplicate question_id " + id);
                }
            }
        }

        /** Answer ids 1, 2, 3, ... per annotation, for answers whose annotations start at {@code starts}. */
        private static IntList numbered(IntList starts, int answerCount) {
            IntList ids = new IntList(answerCount + 1024);
            for (int a = 0; a < starts.size(); a++) {
                int end = a + 1 < starts.size() ? starts.get(a + 1) : answerCount;
                for (int x = starts.get(a); x < end; x++) {
                    ids.add(x - starts.get(a) + 1);
                }
            }
            return ids;
        }

        /** Answer {@code k} (0-based) of the annotation being read. */
        private void addAnswer(int answer, int confidence, int answerId, int k) {
            if (answerIds == null && answerId != k + 1) {
                // the first unusual numbering: from now on, store every answer id
                int current = answers.size() - k;
                answerIds = numbered(answerStart, current);
                for (int x = current; x < answers.size(); x++) {
                    answerIds.add(x - current + 1);
                }
            }
            answers.add(answer);
            confidences.add(confidence);
            if (answerIds != null) {
                answerIds.add(answerId);
            }
        }

        private boolean addAnnotation(
                long questionId, long imageId, int questionType, int answerType, int mca, int firstAnswer) {
            if (index.putIfAbsent(questionId, questionIds.size()) >= 0) {
                return false;
            }
            questionIds.add(questionId);
            imageIds.add(imageId);
            questionTypes.add(questionType);
            answerTypes.add(answerType);
            multipleChoiceAnswers.add(mca);
            answerStart.add(firstAnswer);
            return true;
        }
    }
}
