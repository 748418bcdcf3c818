package ai.vtc.vqa.internal;

import ai.vtc.vqa.VqaFormatException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/** A streaming parser that names its source in every error. */
public final class JsonReader implements Closeable {
    private final JsonParser parser;
    private final String source;

    private JsonReader(JsonParser parser, String source) {
        this.parser = parser;
        this.source = source;
    }

    public static JsonReader open(InputStream in, String source) throws IOException {
        return new JsonReader(VqaJson.MAPPER.createParser(in), source);
    }

    /** Jackson's syntax error as a {@link VqaFormatException} naming the file and position. */
    public VqaFormatException malformed(JsonProcessingException e) {
        return new VqaFormatException(source, e.getLocation(), "malformed JSON: " + e.getOriginalMessage(), e);
    }

    public String source() {
        return source;
    }

    /** Jackson's syntax errors as a {@link VqaFormatException} naming the file and position. */
    public static VqaFormatException malformed(String source, JsonProcessingException e) {
        return new VqaFormatException(source, e.getLocation(), "malformed JSON: " + e.getOriginalMessage(), e);
    }

    public JsonToken next() throws IOException {
        return parser.nextToken();
    }

    public JsonToken current() {
        return parser.currentToken();
    }

    /**
     * The next field name of the current object, or null at its end. The names are predicted from the previous
     * objects of the same kind ({@code order}): while they come in the same order, Jackson compares the bytes in
     * place instead of decoding and looking up each name. Leaves the parser on the field name.
     */
    public String nextField(FieldOrder order, int position) throws IOException {
        SerializedString expected = order.at(position);
        if (expected != null && parser.nextFieldName(expected)) {
            return expected.getValue();
        }
        JsonToken t = expected == null ? parser.nextToken() : parser.currentToken();
        if (t == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            order.learn(position, name);
            return name;
        }
        if (t == JsonToken.END_OBJECT) {
            return null;
        }
        throw error("expected a field name or the end of the object, found " + describe(t));
    }

    /** The order in which objects of one kind list their fields, learnt as they are read. */
    public static final class FieldOrder {
        private final SerializedString[] names = new SerializedString[16];

        SerializedString at(int position) {
            return position < names.length ? names[position] : null;
        }

        void learn(int position, String name) {
            if (position < names.length) {
                names[position] = new SerializedString(name);
            }
        }
    }

    /** The name of the field whose value the parser has just moved to. */
    public String fieldName() throws IOException {
        return parser.currentName();
    }

    public JsonLocation location() {
        return parser.currentTokenLocation();
    }

    public VqaFormatException error(String message) {
        return error(location(), message);
    }

    /** An error at {@code at}, a location this reader returned. */
    public VqaFormatException error(JsonLocation at, String message) {
        return new VqaFormatException(source, at, message);
    }

    /** Moves to the first token and checks it is {@code expected}. */
    public void expectFirst(JsonToken expected, String what) throws IOException {
        JsonToken t = parser.nextToken();
        if (t == null) {
            throw error("empty input, expected " + what);
        }
        expect(expected, what);
    }

    public void expect(JsonToken expected, String what) throws IOException {
        if (parser.currentToken() != expected) {
            throw error("expected " + what + ", found " + describe(parser.currentToken()));
        }
    }

    /** After the root value: nothing but whitespace may follow. */
    public void expectEnd() throws IOException {
        JsonToken t = parser.nextToken();
        if (t != null) {
            throw error("unexpected " + describe(t) + " after the end of the JSON document");
        }
    }

    public long longValue(String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw error("\"" + field + "\" must be an integer, found " + describe(parser.currentToken()));
        }
        return parser.getLongValue();
    }

    public int intValue(String field) throws IOException {
        long v = longValue(field);
        if (v != (int) v) {
            throw error("\"" + field + "\" out of range: " + v);
        }
        return (int) v;
    }

    public String stringValue(String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw error("\"" + field + "\" must be a string, found " + describe(parser.currentToken()));
        }
        return parser.getText();
    }

    /** Interns the current string value straight from the parser's buffer. */
    public int internString(StringPool pool, String field) throws IOException {
        if (parser.currentToken() != JsonToken.VALUE_STRING) {
            throw error("\"" + field + "\" must be a string, found " + describe(parser.currentToken()));
        }
        return pool.intern(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
    }

    /** The text of the current number token, as written. */
    public String stringValueOfNumber() throws IOException {
        return parser.getText();
    }

    public JsonNode readTree() throws IOException {
        return parser.readValueAsTree();
    }

    public void skipValue() throws IOException {
        parser.skipChildren();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    private String describe(JsonToken t) throws IOException {
        if (t == null) {
            return "end of input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case END_OBJECT -> "end of object";
            case END_ARRAY -> "end of array";
            case FIELD_NAME -> "field \"" + parser.currentName() + "\"";
            case VALUE_STRING -> "string \"" + abbreviate(parser.getText()) + "\"";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + parser.getText();
            case VALUE_TRUE, VALUE_FALSE -> "boolean " + parser.getText();
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
