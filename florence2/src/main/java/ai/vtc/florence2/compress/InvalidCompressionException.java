package ai.vtc.florence2.compress;

/** A compression setting that cannot be applied; the message names the setting and the allowed range. */
public final class InvalidCompressionException extends IllegalArgumentException {

    public InvalidCompressionException(String message) {
        super(message);
    }
}
