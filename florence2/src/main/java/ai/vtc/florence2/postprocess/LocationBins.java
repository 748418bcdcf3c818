package ai.vtc.florence2.postprocess;

import ai.vtc.florence2.ProcessorTokens;

/**
 * Location tokens to image coordinates, as the processor's {@code BoxQuantizer} / {@code CoordinatesQuantizer}
 * ({@code floor} mode) dequantize them: bin {@code k} of {@code 1000} becomes the centre of its bin, computed in
 * float32 as torch does: {@code (float)(k + 0.5f) * (float)(size / 1000.0)}, widened to double as {@code tolist()}
 * hands it over. A bin outside 0..999 cannot come from the processor's tokens; it is an error, not a point off the
 * image.
 */
final class LocationBins {

    private LocationBins() {}

    /** The bin of a {@code <loc_N>} token's digits (any Unicode decimal digits, as Python's {@code \d} and int()). */
    static int bin(String digits) {
        int value = 0;
        for (int i = 0; i < digits.length(); i = digits.offsetByCodePoints(i, 1)) {
            value = value * 10 + Character.digit(digits.codePointAt(i), 10);
            if (value >= ProcessorTokens.LOCATION_BINS) {
                throw new IllegalArgumentException("location token <loc_" + digits + "> is out of range: locations are"
                        + " <loc_0> to <loc_" + (ProcessorTokens.LOCATION_BINS - 1) + ">");
            }
        }
        return value;
    }

    /** The coordinate of {@code bin} along an axis of {@code size} pixels. */
    static double coordinate(int bin, int size) {
        float sizePerBin = (float) (size / (double) ProcessorTokens.LOCATION_BINS);
        return (bin + 0.5f) * sizePerBin;
    }
}
