package ai.vtc.vqa.subset;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How large a subset is: a fraction of a split's units (questions or images) or a fixed number of them.
 *
 * @param fraction in (0, 1], or null for a count
 * @param count positive, or null for a fraction
 */
public record SubsetSize(Double fraction, Long count) {
    public SubsetSize {
        if ((fraction == null) == (count == null)) {
            throw new IllegalArgumentException("a subset size is either a fraction or a count");
        }
        if (fraction != null && !(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("a subset fraction must be in (0, 1]: " + fraction);
        }
        if (count != null && count <= 0) {
            throw new IllegalArgumentException("a subset count must be positive: " + count);
        }
    }

    public static SubsetSize fraction(double fraction) {
        return new SubsetSize(fraction, null);
    }

    public static SubsetSize count(long count) {
        return new SubsetSize(null, count);
    }

    /** {@code "1%"} and {@code "0.01"} are fractions, {@code "500"} is a count. */
    public static SubsetSize parse(String text) {
        String t = text.trim();
        try {
            if (t.endsWith("%")) {
                return fraction(new BigDecimal(t.substring(0, t.length() - 1).trim())
                        .movePointLeft(2)
                        .doubleValue());
            }
            if (t.contains(".") || t.contains("e") || t.contains("E")) {
                return fraction(Double.parseDouble(t));
            }
            return count(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a subset size (0.01, 1% or a count): " + text);
        }
    }

    /**
     * How many of {@code units} units the subset takes: the fraction times the units, rounded half up (computed in
     * decimal, so 0.07 of 100 is 7), at least 1; or the count, at most all units.
     */
    public int of(int units) {
        if (units == 0) {
            return 0;
        }
        if (count != null) {
            return (int) Math.min(count, units);
        }
        int k = BigDecimal.valueOf(fraction)
                .multiply(BigDecimal.valueOf(units))
                .setScale(0, RoundingMode.HALF_UP)
                .intValueExact();
        return Math.max(1, Math.min(units, k));
    }

    /** {@code 1pct}, {@code 0.5pct}, {@code 10pct} for fractions, {@code n500} for counts. */
    public String defaultName() {
        if (count != null) {
            return "n" + count;
        }
        return BigDecimal.valueOf(fraction)
                        .movePointRight(2)
                        .stripTrailingZeros()
                        .toPlainString() + "pct";
    }
}
