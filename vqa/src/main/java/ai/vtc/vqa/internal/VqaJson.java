package ai.vtc.vqa.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Shared Jackson set-up and the VQAv2 file layout. */
public final class VqaJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private VqaJson() {}

    /**
     * A generator writing the layout of the VQAv2 files (Python's {@code json.dump} separators {@code ", "} and
     * {@code ": "}) with one element of each top-level list per line. Closing it does not close {@code out}.
     */
    public static JsonGenerator fileGenerator(OutputStream out) throws IOException {
        JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setPrettyPrinter(new ListingLayout());
        return g;
    }

    /** A generator for small reports: two-space indentation. Closing it does not close {@code out}. */
    public static JsonGenerator reportGenerator(OutputStream out) throws IOException {
        JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setPrettyPrinter(new DefaultPrettyPrinter(
                Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
        return g;
    }

    /**
     * How Python prints a float that was rounded to 2 decimals ({@code repr}): {@code 69.4}, {@code 100.0},
     * {@code 83.13}. Formatting the exact binary value rounded to 2 places, not {@link Double#toString}, keeps this
     * exact on every JDK.
     */
    public static String pythonFloat(double roundedTo2) {
        String s = new BigDecimal(roundedTo2)
                .setScale(2, RoundingMode.HALF_UP)
                .stripTrailingZeros()
                .toPlainString();
        return s.indexOf('.') < 0 ? s + ".0" : s;
    }

    /** Python 2.7's {@code round(x, 2)}: the exact double rounded, ties away from zero. */
    public static double pythonRound2(double x) {
        return new BigDecimal(x).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    /** Compact inside an element, a line break between the elements of the root list or of a root object's list. */
    private static final class ListingLayout implements PrettyPrinter {
        private int depth;

        @Override
        public void writeRootValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeStartObject(JsonGenerator g) throws IOException {
            depth++;
            g.writeRaw('{');
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            depth--;
            g.writeRaw('}');
        }

        @Override
        public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
            g.writeRaw(", ");
        }

        @Override
        public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(": ");
        }

        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            depth++;
            g.writeRaw('[');
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            g.writeRaw(listing() && nrOfValues > 0 ? "\n]" : "]");
            depth--;
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(listing() ? ",\n" : ", ");
        }

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            if (listing()) {
                g.writeRaw('\n');
            }
        }

        @Override
        public void beforeObjectEntries(JsonGenerator g) {}

        private boolean listing() {
            return depth <= 2;
        }
    }
}
