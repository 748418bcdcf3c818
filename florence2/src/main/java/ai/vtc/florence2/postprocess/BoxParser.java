package ai.vtc.florence2.postprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Labelled boxes from generated text, as the processor's {@code parse_description_with_bboxes_from_text_and_spans}
 * ({@code <OD>}, {@code <DENSE_REGION_CAPTION>}, {@code <REGION_PROPOSAL>}, open-vocabulary boxes) and {@code
 * parse_phrase_grounding_from_text_and_spans} (the same with a black list of phrases) read it: after removing {@code
 * <s>}, {@code </s>} and {@code <pad>}, every run of text followed by four or more locations (only the locations when
 * phrases may be empty) is an object; its label is the text up to the first location, stripped, without non-ASCII
 * characters, and on one line (else the object is dropped); every complete group of four locations is a box.
 *
 * <p>With transition scores, a box's score is {@code exp} of the mean score of the tokens overlapping its four
 * locations, with the original's span arithmetic: spans start after a leading {@code <s>} (3 characters) and advance
 * by the matched objects only, so text between objects shifts them as it does in the original.
 */
final class BoxParser {

    /** One box with its label and, with transition scores, its score. */
    record Instance(Box box, String label, Double score) {}

    private static final String LOCATION = "<loc_" + PythonText.DIGIT + "+>";
    private static final Pattern OBJECT = PythonText.compile("([^<]+(?:" + LOCATION + "){4,})");
    private static final Pattern LOCATIONS_ONLY = PythonText.compile("(?:(?:" + LOCATION + "){4,})");
    private static final Pattern PHRASE =
            PythonText.compile("^" + PythonText.WHITESPACE + "*(.*?)(?=<od>|</od>|<box>|</box>|<bbox>|</bbox>|<loc_)");
    private static final Pattern BOX =
            PythonText.compile(("<loc_(D+)>").repeat(4).replace("D", PythonText.DIGIT));

    /** The phrases phrase grounding drops (case-sensitive), the original's {@code black_list_of_phrase_grounding}. */
    static final Set<String> GROUNDING_BLACK_LIST = Set.of(
            "it",
            "I",
            "me",
            "mine",
            "you",
            "your",
            "yours",
            "he",
            "him",
            "his",
            "she",
            "her",
            "hers",
            "they",
            "them",
            "their",
            "theirs",
            "one",
            "oneself",
            "we",
            "us",
            "our",
            "ours",
            "its",
            "myself",
            "yourself",
            "himself",
            "herself",
            "itself",
            "ourselves",
            "yourselves",
            "themselves",
            "this",
            "that",
            "these",
            "those",
            "who",
            "whom",
            "whose",
            "which",
            "what",
            "all",
            "another",
            "any",
            "anybody",
            "anyone",
            "anything",
            "each",
            "everybody",
            "everyone",
            "everything",
            "few",
            "many",
            "nobody",
            "none",
            "several",
            "some",
            "somebody",
            "someone",
            "something",
            "each other",
            "one another",
            "the image",
            "image",
            "images",
            "the",
            "a",
            "an",
            "a group",
            "other objects",
            "lots",
            "a set");

    private final boolean allowEmptyPhrase;
    private final Set<String> blackList;

    private BoxParser(boolean allowEmptyPhrase, Set<String> blackList) {
        this.allowEmptyPhrase = allowEmptyPhrase;
        this.blackList = blackList;
    }

    /** Objects with a description ({@code description_with_bboxes}). */
    static BoxParser descriptions() {
        return new BoxParser(false, Set.of());
    }

    /** Runs of locations without labels ({@code bboxes}, region proposals). */
    static BoxParser unlabelled() {
        return new BoxParser(true, Set.of());
    }

    /** Phrases of a caption, black-listed pronouns and determiners dropped ({@code phrase_grounding}). */
    static BoxParser groundedPhrases() {
        return new BoxParser(false, GROUNDING_BLACK_LIST);
    }

    /** The instances of {@code text}; {@code scored} (or null) gives the text's tokens and their scores. */
    List<Instance> parse(String text, ImageSize size, ScoredText scored) {
        int spanOffset = text.startsWith("<s>") ? 3 : 0;
        String clean = PythonText.withoutStartEndPad(text);
        Matcher objects = (allowEmptyPhrase ? LOCATIONS_ONLY : OBJECT).matcher(clean);
        List<Instance> instances = new ArrayList<>();
        // The original also removes an "<obj>" and skips empty objects; neither can occur in a match of these patterns.
        while (objects.find()) {
            String object = objects.group();
            Matcher phraseMatch = PHRASE.matcher(object);
            if (!phraseMatch.find()) {
                spanOffset += PythonText.length(object);
                continue;
            }
            String phrase = PythonText.strip(phraseMatch.group());
            if (blackList.contains(phrase)) {
                spanOffset += PythonText.length(object);
                continue;
            }
            String label = PythonText.asciiOnly(phrase);
            Matcher box = BOX.matcher(object);
            while (box.find()) {
                Double score = null;
                if (scored != null && scored.hasScores()) {
                    int[] span = PythonText.span(box, object);
                    score = scored.meanScore(span[0] + spanOffset, span[1] + spanOffset);
                }
                instances.add(new Instance(box(box, size), label, score));
            }
            spanOffset += PythonText.length(object);
        }
        return instances;
    }

    private static Box box(Matcher m, ImageSize size) {
        return new Box(
                LocationBins.coordinate(LocationBins.bin(m.group(1)), size.width()),
                LocationBins.coordinate(LocationBins.bin(m.group(2)), size.height()),
                LocationBins.coordinate(LocationBins.bin(m.group(3)), size.width()),
                LocationBins.coordinate(LocationBins.bin(m.group(4)), size.height()));
    }

    /** The processor's answer: boxes and labels, and scores when the instances have them. */
    static TaskAnswer.LabelledBoxes answer(List<Instance> instances) {
        List<Double> scores = !instances.isEmpty() && instances.get(0).score() != null
                ? instances.stream().map(Instance::score).toList()
                : null;
        return new TaskAnswer.LabelledBoxes(
                instances.stream().map(Instance::box).toList(),
                instances.stream().map(Instance::label).toList(),
                scores);
    }
}
