package ai.vtc.florence2.postprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Labelled polygons from generated text, as the processor's {@code parse_description_with_polygons_from_text_and_spans}
 * reads it (segmentation tasks, and open-vocabulary detection when the text holds {@code <poly>}): after removing
 * {@code <s>}, {@code </s>} and {@code <pad>}, every run of four or more of {@code <loc_N>}, {@code <sep>}, {@code
 * <poly>}, {@code </poly>} (preceded by a description unless phrases may be empty) is an object, labelled with the text
 * before its first location or {@code <poly>}, stripped (non-ASCII kept). {@code <poly>...</poly>} pairs make
 * separate instances with the same label; inside one, {@code <sep>} separates its polygons; an odd number of
 * coordinates loses the last one.
 */
final class PolygonParser {

    /** One instance: its label and its polygons. */
    record Instance(String label, List<Polygon> polygons) {}

    private static final String LOCATION = "<loc_" + PythonText.DIGIT + "+>";
    private static final String POLYGON_TOKEN = "(?:" + LOCATION + "|<sep>|<poly>|</poly>)";
    private static final Pattern OBJECT = PythonText.compile("([^<]+" + POLYGON_TOKEN + "{4,})");
    private static final Pattern TOKENS_ONLY = PythonText.compile("(?:" + POLYGON_TOKEN + "{4,})");
    private static final Pattern LEADING_LOCATION_TAIL = PythonText.compile("^loc_" + PythonText.DIGIT + "+>");
    private static final Pattern PHRASE = PythonText.compile(
            "^" + PythonText.WHITESPACE + "*(.*?)(?=<od>|</od>|<box>|</box>|<bbox>|</bbox>|<loc_|<poly>)");
    private static final Pattern POLYGON = PythonText.compile("((?:" + LOCATION + ")+)(?:<sep>|$)");
    private static final Pattern INSTANCE = PythonText.compile("<poly>(.*?)</poly>");
    private static final Pattern LOCATION_BIN = PythonText.compile("<loc_(" + PythonText.DIGIT + "+)>");

    private PolygonParser() {}

    static List<Instance> parse(String text, ImageSize size, boolean allowEmptyPhrase) {
        Matcher objects = (allowEmptyPhrase ? TOKENS_ONLY : OBJECT).matcher(PythonText.withoutStartEndPad(text));
        List<Instance> instances = new ArrayList<>();
        while (objects.find()) {
            String object = objects.group();
            // The original also skips an object that is empty after this; no match of the patterns above can be.
            String described = LEADING_LOCATION_TAIL.matcher(object).replaceFirst("");
            Matcher phrase = PHRASE.matcher(described);
            if (!phrase.find()) {
                continue;
            }
            String label = PythonText.strip(phrase.group());
            for (String instance : instanceTexts(object)) {
                List<Polygon> polygons = new ArrayList<>();
                Matcher polygon = POLYGON.matcher(instance);
                while (polygon.find()) {
                    polygons.add(polygon(polygon.group(1), size));
                }
                if (!polygons.isEmpty()) {
                    instances.add(new Instance(label, polygons));
                }
            }
        }
        return instances;
    }

    /** The {@code <poly>...</poly>} contents when the object has both tags, else the whole object. */
    private static List<String> instanceTexts(String object) {
        if (!(object.contains("<poly>") && object.contains("</poly>"))) {
            return List.of(object);
        }
        List<String> texts = new ArrayList<>();
        Matcher m = INSTANCE.matcher(object);
        while (m.find()) {
            texts.add(m.group(1));
        }
        return texts;
    }

    private static Polygon polygon(String locations, ImageSize size) {
        List<String> bins = new ArrayList<>();
        Matcher m = LOCATION_BIN.matcher(locations);
        while (m.find()) {
            bins.add(m.group(1));
        }
        int pairs = bins.size() / 2; // an unpaired last coordinate is dropped
        List<Double> coordinates = new ArrayList<>(2 * pairs);
        for (int i = 0; i < 2 * pairs; i++) {
            coordinates.add(
                    LocationBins.coordinate(LocationBins.bin(bins.get(i)), i % 2 == 0 ? size.width() : size.height()));
        }
        return new Polygon(coordinates);
    }

    static TaskAnswer.LabelledPolygons answer(List<Instance> instances) {
        return new TaskAnswer.LabelledPolygons(
                instances.stream().map(Instance::polygons).toList(),
                instances.stream().map(Instance::label).toList());
    }
}
