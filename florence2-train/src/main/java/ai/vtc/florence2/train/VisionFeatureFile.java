package ai.vtc.florence2.train;

import ai.vtc.florence2.nn.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The stored form of one image's vision features: a little-endian header ({@code VTCFEAT1}, grid height and width,
 * channels, the element type, the sha256 of the image file the features were computed from, the sha256 of the
 * payload) and the payload, the tokens [h*w, C] in row-major order.
 *
 * <p>Element type: the trial's precision's own type, so a stored entry never carries more error than the precision
 * the trial computes in: float32 for {@code fp32} (bit-exact: a trial on stored features computes exactly what it
 * computes from pixels), bfloat16 for {@code bf16} and float16 for {@code fp16} (both round to nearest even: a relative
 * error of at most 2^-9 and 2^-12 per element, half the unit roundoff the products of that precision round their
 * inputs with anyway; float16's range is the vision tower's output's, whose layer norm keeps it far below 65504).
 * Half precision halves what is stored (Florence-2-base at 768 px: 576 x 1024 values, 1.2 MB instead of 2.4 MB).
 *
 * <p>{@link #decode} checks everything: a file that is truncated, too long, of another format, whose payload does not
 * hash to its header's sha256, or made from another image is refused with the reason ({@link Corrupt}).
 */
public final class VisionFeatureFile {

    private static final byte[] MAGIC = "VTCFEAT1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = MAGIC.length + 4 * 3 + 1 + 32 + 32;

    /** The vision tower's output for one image: tokens [gridHeight * gridWidth, channels], row-major. */
    public record Features(float[] tokens, int gridHeight, int gridWidth, int channels) {
        public Features {
            if (gridHeight <= 0 || gridWidth <= 0 || channels <= 0) {
                throw new IllegalArgumentException("features need a positive grid and channels, got " + gridHeight + "x"
                        + gridWidth + "x" + channels);
            }
            if (tokens.length != (long) gridHeight * gridWidth * channels) {
                throw new IllegalArgumentException("features of a " + gridHeight + "x" + gridWidth + " grid with "
                        + channels + " channels need " + (long) gridHeight * gridWidth * channels
                        + " values, got " + tokens.length);
            }
        }
    }

    /** A stored entry that cannot be used, with the reason. */
    public static final class Corrupt extends Exception {
        public Corrupt(String message) {
            super(message);
        }
    }

    private VisionFeatureFile() {}

    /** The stored form of {@code features} computed from the image whose file has sha256 {@code imageSha256}. */
    public static byte[] encode(Features features, Precision precision, String imageSha256) {
        int n = features.tokens().length;
        int width = elementBytes(precision);
        ByteBuffer payload = ByteBuffer.allocate(n * width).order(ByteOrder.LITTLE_ENDIAN);
        float[] t = features.tokens();
        for (float v : t) {
            switch (precision) {
                case FP32 -> payload.putFloat(v);
                case BF16 -> payload.putShort(HalfFloats.toBfloat16(v));
                case FP16 -> payload.putShort(HalfFloats.toFloat16(v));
            }
        }
        byte[] body = payload.array();
        ByteBuffer out = ByteBuffer.allocate(HEADER + body.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC)
                .putInt(features.gridHeight())
                .putInt(features.gridWidth())
                .putInt(features.channels())
                .put((byte) precision.ordinal())
                .put(HexFormat.of().parseHex(imageSha256))
                .put(sha256(body, 0, body.length))
                .put(body);
        return out.array();
    }

    /**
     * The features in {@code bytes}, as float32, exactly as a trial uses them (a half-precision entry widened).
     *
     * @param precision the precision the caller computes in: an entry stored for another one is refused
     * @param imageSha256 the sha256 of the image file the caller has: an entry made from another image is refused
     */
    public static Features decode(byte[] bytes, Precision precision, String imageSha256) throws Corrupt {
        if (bytes.length < HEADER || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new Corrupt("not a vision features file (" + bytes.length + " bytes, header needs " + HEADER + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        in.position(MAGIC.length);
        int h = in.getInt();
        int w = in.getInt();
        int c = in.getInt();
        int type = in.get();
        byte[] image = new byte[32];
        in.get(image);
        byte[] sum = new byte[32];
        in.get(sum);
        if (type != precision.ordinal()) {
            throw new Corrupt("stored for precision "
                    + (type >= 0 && type < Precision.values().length ? Precision.values()[type].id() : "#" + type)
                    + ", wanted " + precision.id());
        }
        if (h <= 0 || w <= 0 || c <= 0) {
            throw new Corrupt("grid " + h + "x" + w + "x" + c + " is not positive");
        }
        long expected = HEADER + (long) h * w * c * elementBytes(precision);
        if (bytes.length != expected) {
            throw new Corrupt("a " + h + "x" + w + "x" + c + " entry has " + expected + " bytes, this one "
                    + bytes.length + " (truncated or padded)");
        }
        if (!MessageDigest.isEqual(sum, sha256(bytes, HEADER, bytes.length - HEADER))) {
            throw new Corrupt("payload does not match its sha256");
        }
        if (!HexFormat.of().formatHex(image).equals(imageSha256)) {
            throw new Corrupt(
                    "made from an image with sha256 " + HexFormat.of().formatHex(image) + ", not " + imageSha256);
        }
        float[] tokens = new float[h * w * c];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = switch (precision) {
                case FP32 -> in.getFloat();
                case BF16 -> HalfFloats.fromBfloat16(in.getShort());
                case FP16 -> HalfFloats.fromFloat16(in.getShort());
            };
        }
        return new Features(tokens, h, w, c);
    }

    private static int elementBytes(Precision precision) {
        return precision == Precision.FP32 ? 4 : 2;
    }

    static byte[] sha256(byte[] bytes, int from, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, from, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
