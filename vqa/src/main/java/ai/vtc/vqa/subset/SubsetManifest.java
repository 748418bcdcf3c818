package ai.vtc.vqa.subset;

import ai.vtc.vqa.VqaFormatException;
import ai.vtc.vqa.internal.JsonReader;
import ai.vtc.vqa.internal.LongList;
import ai.vtc.vqa.internal.VqaJson;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code datasets/<dataset>/subsets/<name>.json}: the question ids (ascending) of a subset, per split, and the
 * SHA-256 of its canonical content. Same JSON and hash as {@code ai.vtc.contracts.SubsetManifest}: members
 * {@code dataset, name, seed, fraction, question_ids {split: [...]}, sha256}; the hash is over the canonical JSON of
 * every other member (keys sorted, no whitespace, numbers as their shortest plain decimal, absent members left out).
 * Two optional members appear only when used: {@code selection: "image"} for subsets of whole images and
 * {@code count} (instead of {@code fraction}) for subsets of a fixed size.
 */
public final class SubsetManifest {
    private final String dataset;
    private final String name;
    private final long seed;
    private final SubsetSize size;
    private final Selection selection;
    private final SortedMap<String, long[]> questionIds;
    private final String sha256;

    private SubsetManifest(
            String dataset,
            String name,
            long seed,
            SubsetSize size,
            Selection selection,
            SortedMap<String, long[]> questionIds,
            String sha256) {
        this.dataset = dataset;
        this.name = name;
        this.seed = seed;
        this.size = size;
        this.selection = selection;
        this.questionIds = questionIds;
        this.sha256 = sha256;
    }

    /** A manifest sealed with the hash of its content; each split's ids are sorted. */
    public static SubsetManifest of(
            String dataset,
            String name,
            long seed,
            SubsetSize size,
            Selection selection,
            Map<String, long[]> questionIdsBySplit) {
        SortedMap<String, long[]> ids = new TreeMap<>();
        questionIdsBySplit.forEach((split, values) -> {
            long[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            ids.put(split, sorted);
        });
        SubsetManifest unsealed = new SubsetManifest(dataset, name, seed, size, selection, ids, null);
        return new SubsetManifest(dataset, name, seed, size, selection, ids, unsealed.contentHash());
    }

    public String dataset() {
        return dataset;
    }

    public String name() {
        return name;
    }

    public long seed() {
        return seed;
    }

    public SubsetSize size() {
        return size;
    }

    public Selection selection() {
        return selection;
    }

    public String sha256() {
        return sha256;
    }

    public SortedMap<String, long[]> questionIdsBySplit() {
        return Collections.unmodifiableSortedMap(questionIds);
    }

    /** The ascending question ids of {@code split} (a copy). */
    public long[] questionIds(String split) {
        long[] ids = questionIds.get(split);
        if (ids == null) {
            throw new IllegalArgumentException("subset " + name + " of " + dataset + " has no split '" + split
                    + "' (has " + questionIds.keySet() + ")");
        }
        return ids.clone();
    }

    /** True when {@link #sha256()} is the hash of the content. */
    public boolean verifies() {
        return contentHash().equals(sha256);
    }

    /** The canonical JSON the hash is taken over. */
    public String canonicalContent() {
        StringBuilder out = new StringBuilder();
        out.append('{');
        if (size.count() != null) {
            out.append("\"count\":").append(size.count()).append(',');
        }
        out.append("\"dataset\":");
        string(out, dataset);
        if (size.fraction() != null) {
            out.append(",\"fraction\":").append(decimal(size.fraction()));
        }
        out.append(",\"name\":");
        string(out, name);
        out.append(",\"question_ids\":{");
        boolean firstSplit = true;
        for (Map.Entry<String, long[]> e : questionIds.entrySet()) {
            if (!firstSplit) {
                out.append(',');
            }
            firstSplit = false;
            string(out, e.getKey());
            out.append(":[");
            long[] ids = e.getValue();
            for (int i = 0; i < ids.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(ids[i]);
            }
            out.append(']');
        }
        out.append("},\"seed\":").append(seed);
        if (selection == Selection.IMAGE) {
            out.append(",\"selection\":\"image\"");
        }
        out.append('}');
        return out.toString();
    }

    private String contentHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalContent().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    public void write(Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(out);
        }
    }

    /** Writes the manifest JSON, one split per line; {@code out} is not closed. */
    public void write(OutputStream out) throws IOException {
        try (JsonGenerator g = VqaJson.fileGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("dataset", dataset);
            g.writeStringField("name", name);
            g.writeNumberField("seed", seed);
            if (size.fraction() != null) {
                g.writeFieldName("fraction");
                g.writeNumber(decimal(size.fraction()));
            } else {
                g.writeNumberField("count", size.count());
            }
            if (selection == Selection.IMAGE) {
                g.writeStringField("selection", "image");
            }
            g.writeObjectFieldStart("question_ids");
            for (Map.Entry<String, long[]> e : questionIds.entrySet()) {
                g.writeFieldName(e.getKey());
                g.writeArray(e.getValue(), 0, e.getValue().length);
            }
            g.writeEndObject();
            g.writeStringField("sha256", sha256);
            g.writeEndObject();
            g.writeRaw('\n');
        }
        out.flush();
    }

    public String toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static SubsetManifest read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a manifest and checks its hash.
     *
     * @throws VqaFormatException when malformed, incomplete, or when the hash does not match the content
     */
    public static SubsetManifest read(InputStream in, String source) throws IOException {
        try (JsonReader r = JsonReader.open(in, source)) {
            r.expectFirst(JsonToken.START_OBJECT, "a subset manifest object");
            JsonLocation start = r.location();
            String dataset = null;
            String name = null;
            Long seed = null;
            Double fraction = null;
            Long count = null;
            Selection selection = Selection.QUESTION;
            SortedMap<String, long[]> ids = null;
            String sha256 = null;
            while (r.next() == JsonToken.FIELD_NAME) {
                String field = r.fieldName();
                r.next();
                switch (field) {
                    case "dataset" -> dataset = r.stringValue(field);
                    case "name" -> name = r.stringValue(field);
                    case "seed" -> seed = r.longValue(field);
                    case "fraction" -> fraction = fraction(r);
                    case "count" -> count = r.longValue(field);
                    case "selection" -> selection = selection(r);
                    case "sha256" -> sha256 = r.stringValue(field);
                    case "question_ids" -> ids = readIds(r);
                    default -> r.skipValue();
                }
            }
            r.expectEnd();
            if (dataset == null || name == null || seed == null || ids == null || sha256 == null) {
                throw r.error(start, "a subset manifest needs dataset, name, seed, question_ids and sha256");
            }
            SubsetSize size;
            try {
                size = new SubsetSize(fraction, count);
            } catch (IllegalArgumentException e) {
                throw r.error(start, e.getMessage());
            }
            SubsetManifest m = new SubsetManifest(dataset, name, seed, size, selection, ids, sha256);
            if (!m.verifies()) {
                throw r.error(start, "sha256 " + sha256 + " does not match the content (" + m.contentHash() + ")");
            }
            return m;
        } catch (JsonProcessingException e) {
            throw JsonReader.malformed(source, e);
        }
    }

    private static Double fraction(JsonReader r) throws IOException {
        if (r.current() != JsonToken.VALUE_NUMBER_FLOAT && r.current() != JsonToken.VALUE_NUMBER_INT) {
            throw r.error("\"fraction\" must be a number");
        }
        return Double.parseDouble(r.stringValueOfNumber());
    }

    private static Selection selection(JsonReader r) throws IOException {
        String s = r.stringValue("selection");
        return switch (s) {
            case "image" -> Selection.IMAGE;
            case "question" -> Selection.QUESTION;
            default -> throw r.error("\"selection\" must be \"image\" or \"question\": " + s);
        };
    }

    private static SortedMap<String, long[]> readIds(JsonReader r) throws IOException {
        r.expect(JsonToken.START_OBJECT, "\"question_ids\" to be an object {split: [ids]}");
        SortedMap<String, long[]> ids = new TreeMap<>();
        while (r.next() == JsonToken.FIELD_NAME) {
            String split = r.fieldName();
            r.next();
            r.expect(JsonToken.START_ARRAY, "a list of question ids for split " + split);
            LongList list = new LongList(1024);
            while (r.next() != JsonToken.END_ARRAY) {
                list.add(r.longValue("question_ids." + split));
            }
            long[] values = list.toArray();
            for (int i = 1; i < values.length; i++) {
                if (values[i - 1] >= values[i]) {
                    throw r.error("question_ids." + split + " must be ascending and distinct");
                }
            }
            ids.put(split, values);
        }
        return ids;
    }

    private static String decimal(double value) {
        if (value == 0) {
            return "0";
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, out);
        out.append('"');
    }

    @Override
    public String toString() {
        StringBuilder sizes = new StringBuilder();
        questionIds.forEach(
                (split, ids) -> sizes.append(' ').append(split).append('=').append(ids.length));
        return "SubsetManifest{" + dataset + "/" + name + sizes + ", sha256=" + sha256 + "}";
    }
}
