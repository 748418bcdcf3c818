package ai.vtc.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads a YAML document into a JSON tree from SnakeYAML's parser events, so no Java object is ever constructed from
 * the document. Explicit tags are refused; size, nesting depth, aliases and the number of values (after alias
 * expansion, so a "billion laughs" document stops early) are bounded; duplicate keys are reported rather than
 * silently overwritten. Problems that leave the rest of the document readable are collected, the others stop
 * reading. Plain scalars resolve as YAML 1.1 does ({@code 5.0e-5} and {@code 1e-4} are numbers, {@code yes} is
 * true); quoted scalars are strings.
 */
public final class SafeYaml {
    /**
     * @param maxBytes largest document in UTF-8 bytes
     * @param maxDepth deepest nesting of mappings and lists
     * @param maxAliases most {@code *alias} references
     * @param maxNodes most scalars, mappings and lists, counting every alias expansion
     */
    public record Limits(int maxBytes, int maxDepth, int maxAliases, int maxNodes) {
        public static final Limits DEFAULT = new Limits(64 * 1024, 16, 32, 20_000);
    }

    private static final Resolver RESOLVER = new Resolver();

    private final Limits limits;
    private final LoaderOptions options;

    public SafeYaml(Limits limits) {
        this.limits = limits;
        this.options = new LoaderOptions();
        // backstops behind the reader's own checks, which come first and say where
        options.setCodePointLimit(limits.maxBytes() + 1);
        options.setNestingDepthLimit(limits.maxDepth() + 8);
        options.setMaxAliasesForCollections(limits.maxAliases());
    }

    /** The document as a tree; collected problems are added to {@code problems}, fatal ones thrown. */
    public JsonNode read(String yaml, List<SpecProblem> problems) {
        int bytes = yaml.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxBytes()) {
            throw new InvalidSweepException(
                    "", "the document has " + bytes + " bytes; at most " + limits.maxBytes() + " are allowed");
        }
        try {
            Parser parser = new ParserImpl(new StreamReader(yaml), options);
            expect(parser.getEvent(), Event.ID.StreamStart);
            if (parser.checkEvent(Event.ID.StreamEnd)) {
                throw new InvalidSweepException("", "the document is empty");
            }
            expect(parser.getEvent(), Event.ID.DocumentStart);
            JsonNode root = new Reader(parser, problems).value("", 0);
            expect(parser.getEvent(), Event.ID.DocumentEnd);
            if (!parser.checkEvent(Event.ID.StreamEnd)) {
                problems.add(new SpecProblem("", "only one YAML document is allowed (found a second '---')"));
            }
            return root;
        } catch (MarkedYAMLException e) {
            throw new InvalidSweepException("", "not valid YAML: " + e.getProblem() + where(e.getProblemMark()));
        } catch (YAMLException e) {
            throw new InvalidSweepException("", "not valid YAML: " + e.getMessage());
        }
    }

    private static String where(Mark mark) {
        return mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
    }

    private static void expect(Event event, Event.ID id) {
        if (!event.is(id)) {
            throw new InvalidSweepException(
                    "", "not valid YAML: unexpected " + event.getEventId() + where(event.getStartMark()));
        }
    }

    /** Appends a key to a path. */
    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private final class Reader {
        private final Parser parser;
        private final List<SpecProblem> problems;
        private final Map<String, JsonNode> anchors = new HashMap<>();
        /** Anchors of the mappings and lists being read: an alias to one of them would be a cycle. */
        private final Set<String> open = new HashSet<>();

        private final JsonNodeFactory nodes = JsonNodeFactory.instance;
        private int aliases;
        private int nodeCount;

        Reader(Parser parser, List<SpecProblem> problems) {
            this.parser = parser;
            this.problems = problems;
        }

        JsonNode value(String path, int depth) {
            Event event = parser.getEvent();
            if (event instanceof AliasEvent alias) {
                return alias(alias.getAnchor(), path);
            }
            JsonNode node;
            if (event instanceof ScalarEvent scalar) {
                checkTag(scalar.getTag(), path);
                node = scalar(scalar);
            } else if (event instanceof CollectionStartEvent start) {
                checkTag(start.getTag(), path);
                if (start.getAnchor() != null) {
                    open.add(start.getAnchor());
                }
                node = event.is(Event.ID.MappingStart) ? mapping(path, depth + 1) : sequence(path, depth + 1);
                open.remove(start.getAnchor());
            } else {
                throw new InvalidSweepException(
                        path, "not valid YAML: unexpected " + event.getEventId() + where(event.getStartMark()));
            }
            String anchor = ((NodeEvent) event).getAnchor();
            if (anchor != null) {
                anchors.put(anchor, node);
            }
            return node;
        }

        /** Only explicit tags reach the events ({@code !} alone just means "a string"). */
        private void checkTag(String tag, String path) {
            if (tag != null && !"!".equals(tag)) {
                problems.add(new SpecProblem(path, "explicit YAML tags are not allowed (found '" + tag + "')"));
            }
        }

        private JsonNode alias(String name, String path) {
            if (++aliases > limits.maxAliases()) {
                throw new InvalidSweepException(
                        path, "too many aliases: at most " + limits.maxAliases() + " '*' references are allowed");
            }
            JsonNode target = anchors.get(name);
            if (open.contains(name)) {
                problems.add(new SpecProblem(
                        path,
                        "alias '*" + name + "' refers to the value it is inside (&" + name
                                + "); a value cannot contain itself"));
                return nodes.nullNode();
            }
            if (target == null) {
                problems.add(new SpecProblem(path, "unknown alias '*" + name + "'"));
                return nodes.nullNode();
            }
            count(size(target), path);
            return target.deepCopy();
        }

        private ObjectNode mapping(String path, int depth) {
            checkDepth(path, depth);
            count(1, path);
            ObjectNode object = nodes.objectNode();
            while (!parser.checkEvent(Event.ID.MappingEnd)) {
                Event keyEvent = parser.peekEvent();
                String key;
                if (keyEvent instanceof ScalarEvent scalar) {
                    key = scalar.getValue();
                } else {
                    problems.add(new SpecProblem(path, "keys must be plain words, not lists, mappings or aliases"));
                    key = "?";
                }
                String keyPath = child(path, key);
                value(keyPath, depth); // the key itself, checked for tags and counted
                JsonNode value = value(keyPath, depth);
                if (object.has(key)) {
                    problems.add(new SpecProblem(keyPath, "duplicate key"));
                } else {
                    object.set(key, value);
                }
            }
            parser.getEvent();
            return object;
        }

        private ArrayNode sequence(String path, int depth) {
            checkDepth(path, depth);
            count(1, path);
            ArrayNode array = nodes.arrayNode();
            while (!parser.checkEvent(Event.ID.SequenceEnd)) {
                array.add(value(path + "[" + array.size() + "]", depth));
            }
            parser.getEvent();
            return array;
        }

        private JsonNode scalar(ScalarEvent scalar) {
            count(1, "");
            String text = scalar.getValue();
            if (!scalar.isPlain()) {
                return nodes.textNode(text);
            }
            Tag tag = RESOLVER.resolve(NodeId.scalar, text, true);
            try {
                if (Tag.NULL.equals(tag)) {
                    return nodes.nullNode();
                } else if (Tag.BOOL.equals(tag)) {
                    String lower = text.toLowerCase(Locale.ROOT);
                    return nodes.booleanNode(lower.equals("true") || lower.equals("yes") || lower.equals("on"));
                } else if (Tag.INT.equals(tag)) {
                    return nodes.numberNode(integer(text));
                } else if (Tag.FLOAT.equals(tag)) {
                    return nodes.numberNode(Double.parseDouble(floating(text)));
                }
            } catch (NumberFormatException e) {
                // a YAML 1.1 spelling Java does not parse (sexagesimal and the like): keep the text
            }
            return nodes.textNode(text);
        }

        private void checkDepth(String path, int depth) {
            if (depth > limits.maxDepth()) {
                throw new InvalidSweepException(
                        path, "nested too deeply: at most " + limits.maxDepth() + " levels are allowed");
            }
        }

        private void count(int added, String path) {
            nodeCount += added;
            if (nodeCount > limits.maxNodes()) {
                throw new InvalidSweepException(
                        path, "too many values: at most " + limits.maxNodes() + " (after expanding aliases)");
            }
        }
    }

    private static BigInteger integer(String text) {
        String t = text.replace("_", "");
        int sign = 1;
        if (t.startsWith("-") || t.startsWith("+")) {
            sign = t.startsWith("-") ? -1 : 1;
            t = t.substring(1);
        }
        BigInteger value;
        if (t.startsWith("0b")) {
            value = new BigInteger(t.substring(2), 2);
        } else if (t.startsWith("0x")) {
            value = new BigInteger(t.substring(2), 16);
        } else if (t.length() > 1 && t.startsWith("0")) {
            value = new BigInteger(t.substring(1), 8);
        } else {
            value = new BigInteger(t);
        }
        return sign < 0 ? value.negate() : value;
    }

    private static String floating(String text) {
        String t = text.replace("_", "").toLowerCase(Locale.ROOT);
        return switch (t) {
            case ".inf", "+.inf" -> "Infinity";
            case "-.inf" -> "-Infinity";
            case ".nan" -> "NaN";
            default -> t;
        };
    }

    private static int size(JsonNode node) {
        int size = 1;
        List<JsonNode> pending = new ArrayList<>();
        node.forEach(pending::add);
        while (!pending.isEmpty()) {
            JsonNode next = pending.remove(pending.size() - 1);
            size++;
            next.forEach(pending::add);
        }
        return size;
    }
}
