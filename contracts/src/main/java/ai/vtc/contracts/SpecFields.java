package ai.vtc.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed reads of one YAML mapping that record a {@link SpecProblem} for every missing, misspelt or mistyped key
 * instead of stopping at the first. A getter returns null when the value is absent or wrong.
 */
final class SpecFields {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final JsonNode node;
    private final String path;
    private final List<SpecProblem> problems;

    private SpecFields(JsonNode node, String path, List<SpecProblem> problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** The mapping at {@code path}, with its keys checked against {@code allowed}; null when it is not a mapping. */
    static SpecFields of(JsonNode node, String path, List<SpecProblem> problems, List<String> allowed) {
        if (!node.isObject()) {
            problems.add(new SpecProblem(path, "must be a mapping, not " + describe(node)));
            return null;
        }
        Set<String> known = Set.copyOf(allowed);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!known.contains(key)) {
                problems.add(new SpecProblem(
                        SafeYaml.child(path, key), "unknown key (allowed: " + String.join(", ", allowed) + ")"));
            }
        }
        return new SpecFields(node, path, problems);
    }

    String path(String key) {
        return SafeYaml.child(path, key);
    }

    /** The raw value at {@code key} (a missing node when absent), for checks that record no problem of their own. */
    JsonNode node(String key) {
        return node.path(key);
    }

    /** The value, or null (with a problem when {@code required}) when absent or empty. */
    JsonNode get(String key, boolean required) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(new SpecProblem(path(key), "is required"));
            }
            return null;
        }
        return value;
    }

    String string(String key, boolean required) {
        return text(get(key, required), path(key), problems);
    }

    String name(String key, boolean required) {
        String value = string(key, required);
        return value == null ? null : name(value, path(key), problems);
    }

    String oneOf(String key, boolean required, List<String> allowed) {
        String value = string(key, required);
        return value == null ? null : oneOf(value, path(key), allowed, problems);
    }

    Integer integer(String key, boolean required, int min) {
        return integer(get(key, required), path(key), min, problems);
    }

    /** An integer in {@code min..max}; above {@code max} is a problem that names the bound. */
    Integer integer(String key, boolean required, int min, int max) {
        Integer value = integer(key, required, min);
        if (value != null && value > max) {
            problems.add(new SpecProblem(path(key), "must be at most " + max + ", not " + value));
            return null;
        }
        return value;
    }

    Double number(String key, boolean required, double min, boolean exclusive) {
        JsonNode value = get(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isNumber()) {
            problems.add(new SpecProblem(path(key), "must be a number, not " + describe(value)));
            return null;
        }
        double d = value.doubleValue();
        if (!Double.isFinite(d) || (exclusive ? d <= min : d < min)) {
            problems.add(new SpecProblem(
                    path(key),
                    "must be " + (exclusive ? "greater than " : "at least ") + plain(min) + ", not " + value.asText()));
            return null;
        }
        return d;
    }

    /** The list at {@code key}; null when absent (problem when required) or not a list, empty list allowed. */
    JsonNode list(String key, boolean required) {
        JsonNode value = get(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            problems.add(new SpecProblem(path(key), "must be a list, not " + describe(value)));
            return null;
        }
        return value;
    }

    /** A list that must have at least one entry. */
    JsonNode axis(String key, boolean required) {
        JsonNode value = list(key, required);
        if (value != null && value.isEmpty()) {
            problems.add(new SpecProblem(path(key), "must not be empty"));
            return null;
        }
        return value;
    }

    static String text(JsonNode value, String path, List<SpecProblem> problems) {
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new SpecProblem(path, "must be a string, not " + describe(value)));
            return null;
        }
        return value.textValue();
    }

    static String name(String value, String path, List<SpecProblem> problems) {
        if (!NAME.matcher(value).matches() || value.contains("..")) {
            problems.add(new SpecProblem(
                    path,
                    "must be a name of letters, digits, '.', '_' and '-' (at most 128 characters, no '..'), not \""
                            + value + "\""));
            return null;
        }
        return value;
    }

    static String oneOf(String value, String path, List<String> allowed, List<SpecProblem> problems) {
        if (!allowed.contains(value)) {
            problems.add(
                    new SpecProblem(path, "must be one of " + String.join(", ", allowed) + ", not \"" + value + "\""));
            return null;
        }
        return value;
    }

    static Integer integer(JsonNode value, String path, int min, List<SpecProblem> problems) {
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            problems.add(new SpecProblem(path, "must be an integer, not " + describe(value)));
            return null;
        }
        if (!value.canConvertToInt() || value.intValue() < min) {
            problems.add(new SpecProblem(path, "must be at least " + min + ", not " + value.asText()));
            return null;
        }
        return value.intValue();
    }

    static Long longInteger(JsonNode value, String path, long min, List<SpecProblem> problems) {
        if (!value.isIntegralNumber()) {
            problems.add(new SpecProblem(path, "must be an integer, not " + describe(value)));
            return null;
        }
        if (!value.canConvertToLong() || value.longValue() < min) {
            problems.add(new SpecProblem(path, "must be at least " + min + ", not " + value.asText()));
            return null;
        }
        return value.longValue();
    }

    static Boolean bool(JsonNode value, String path, List<SpecProblem> problems) {
        if (!value.isBoolean()) {
            problems.add(new SpecProblem(path, "must be true or false, not " + describe(value)));
            return null;
        }
        return value.booleanValue();
    }

    /** Each entry of {@code list} read by {@code reader}, without the wrong ones. */
    static <T> List<T> entries(JsonNode list, String path, EntryReader<T> reader) {
        List<T> out = new ArrayList<>();
        if (list == null) {
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            T value = reader.read(list.get(i), path + "[" + i + "]");
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    interface EntryReader<T> {
        T read(JsonNode value, String path);
    }

    /** What a value is, for messages: {@code a string ("four")}, {@code a list}, ... */
    static String describe(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "an empty value";
        }
        if (value.isTextual()) {
            String text = value.textValue();
            return "a string (\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\")";
        }
        if (value.isIntegralNumber()) {
            return "an integer (" + value.asText() + ")";
        }
        if (value.isNumber()) {
            return "a number (" + value.asText() + ")";
        }
        if (value.isBoolean()) {
            return "a boolean (" + value.asText() + ")";
        }
        if (value.isArray()) {
            return "a list";
        }
        return "a mapping";
    }

    private static String plain(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
