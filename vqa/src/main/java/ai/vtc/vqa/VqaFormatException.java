package ai.vtc.vqa;

import com.fasterxml.jackson.core.JsonLocation;
import java.io.IOException;

/**
 * A VQA file is not what it should be: malformed JSON, a missing or mistyped field, a duplicate id. The message names
 * the file and the position ({@code annotations.json: line 12, column 40 (byte 1033): ...}).
 */
public final class VqaFormatException extends IOException {
    private final String source;
    private final long line;
    private final long column;
    private final long byteOffset;

    public VqaFormatException(String source, JsonLocation location, String message) {
        this(source, location, message, null);
    }

    public VqaFormatException(String source, JsonLocation location, String message, Throwable cause) {
        super(source + position(location) + ": " + message, cause);
        this.source = source;
        this.line = location == null ? -1 : location.getLineNr();
        this.column = location == null ? -1 : location.getColumnNr();
        this.byteOffset = location == null ? -1 : location.getByteOffset();
    }

    /** The file or stream name the reader was given. */
    public String source() {
        return source;
    }

    /** 1-based line of the problem, -1 when unknown. */
    public long line() {
        return line;
    }

    /** 1-based column of the problem, -1 when unknown. */
    public long column() {
        return column;
    }

    /** 0-based byte offset of the problem, -1 when unknown. */
    public long byteOffset() {
        return byteOffset;
    }

    private static String position(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        String s = ": line " + location.getLineNr() + ", column " + location.getColumnNr();
        return location.getByteOffset() >= 0 ? s + " (byte " + location.getByteOffset() + ")" : s;
    }
}
