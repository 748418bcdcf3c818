package ai.vtc.florence2.nn;

import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The type matrix products, convolutions and attention products run in ({@link Autocast}). Everything else (layer
 * norms, softmax, the loss, the weights and the optimizer state) stays float32, whatever the precision.
 */
public enum Precision {
    FP32("fp32", DataType.FLOAT32),
    /** bfloat16: float32's exponent range, 8 significant bits; native on CPUs with avx512_bf16 or AMX and on GPUs. */
    BF16("bf16", DataType.BFLOAT16),
    /** float16: 11 significant bits but a range up to 65504 only, so training needs loss scaling. */
    FP16("fp16", DataType.FLOAT16);

    private final String id;
    private final DataType computeType;

    Precision(String id, DataType computeType) {
        this.id = id;
        this.computeType = computeType;
    }

    /** fp32, bf16 or fp16: the name in sweep specs, on the command line and in reports. */
    public String id() {
        return id;
    }

    public DataType computeType() {
        return computeType;
    }

    /** Unit roundoff of the compute type: 2^-24 (fp32), 2^-8 (bf16), 2^-11 (fp16). */
    public double unitRoundoff() {
        return switch (this) {
            case FP32 -> 0x1p-24;
            case BF16 -> 0x1p-8;
            case FP16 -> 0x1p-11;
        };
    }

    /** The precision named {@code id} (case-insensitive); an unknown name is an error listing the known ones. */
    public static Precision parse(String id) {
        for (Precision p : values()) {
            if (p.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision \"" + id + "\"; expected one of "
                + Arrays.stream(values()).map(Precision::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
