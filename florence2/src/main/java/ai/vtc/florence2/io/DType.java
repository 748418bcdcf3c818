package ai.vtc.florence2.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Element types of checkpoint tensors (safetensors names) and their conversion to float32. DJL 0.36 crashes the JVM on
 * bfloat16 arrays, so half-precision weights are widened here, in Java, before any NDArray exists.
 */
public enum DType {
    F32(4),
    F16(2),
    BF16(2),
    F64(8),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    public static DType fromSafetensors(String name) {
        try {
            return DType.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported tensor dtype " + name, e);
        }
    }

    /**
     * Converts {@code count} little-endian elements of this type starting at {@code src}'s position into float32
     * values written to {@code dst} (native order).
     */
    public void toFloat32(ByteBuffer src, ByteBuffer dst, long count) {
        ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < count; i++) {
            int at = (int) (i * bytes);
            float v = switch (this) {
                case F32 -> in.getFloat(at);
                case F16 -> halfToFloat(in.getShort(at));
                case BF16 -> Float.intBitsToFloat((in.getShort(at) & 0xffff) << 16);
                case F64 -> (float) in.getDouble(at);
                case I64 -> (float) in.getLong(at);
                case I32 -> (float) in.getInt(at);
                case I16 -> (float) in.getShort(at);
                case I8 -> (float) in.get(at);
                case U8 -> (float) (in.get(at) & 0xff);
                case BOOL -> in.get(at) != 0 ? 1f : 0f;
            };
            dst.putFloat(v);
        }
    }

    /** IEEE 754 binary16 to binary32, exact (normals, subnormals, infinities, NaN). */
    public static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24, exact in float32
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** float32 to binary16, rounding to nearest even (used by tests and for writing F16 checkpoints). */
    public static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        int mantissa = bits & 0x7fffff;
        if (((bits >>> 23) & 0xff) == 0xff) {
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        if (exponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (exponent <= 0) {
            if (exponent < -10) {
                return (short) sign;
            }
            mantissa |= 0x800000;
            int shift = 14 - exponent;
            int half = mantissa >> shift;
            int rest = mantissa & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = sign | (exponent << 10) | (mantissa >> 13);
        int rest = mantissa & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) half;
    }

    /** float32 to bfloat16, rounding to nearest even. */
    public static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
