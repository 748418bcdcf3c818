package ai.vtc.contracts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content-addressed ids (docs/architecture.md, "Identity and idempotency"). */
public final class TrialIds {
    private TrialIds() {}

    /** First 16 hex characters of SHA-256 over the canonical JSON of the fully resolved spec. */
    public static String of(TrialSpec spec) {
        return ofCanonical(CanonicalJson.of(spec));
    }

    /** The id of a spec given as its canonical JSON ({@link CanonicalJson}). */
    public static String ofCanonical(String canonicalJson) {
        return sha256Hex(canonicalJson).substring(0, 16);
    }

    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
