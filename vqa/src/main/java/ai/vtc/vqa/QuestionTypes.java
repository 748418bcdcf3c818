package ai.vtc.vqa;

import java.util.Comparator;
import java.util.List;

/** The 65 question types of VQAv2 (mscoco), and how a question text maps to one. */
public final class QuestionTypes {
    /** Every {@code question_type} of VQAv2 mscoco besides {@value #NONE_OF_THE_ABOVE}. */
    public static final List<String> MSCOCO = List.of(
            "how many",
            "is the",
            "what",
            "what color is the",
            "what is the",
            "is this",
            "is this a",
            "what is",
            "are the",
            "what kind of",
            "is there a",
            "what type of",
            "is it",
            "what are the",
            "where is the",
            "is there",
            "does the",
            "what color are the",
            "are these",
            "are there",
            "which",
            "is",
            "what is the man",
            "is the man",
            "are",
            "how",
            "does this",
            "what is on the",
            "what does the",
            "how many people are",
            "what is in the",
            "what is this",
            "do",
            "what are",
            "are they",
            "what time",
            "what sport is",
            "are there any",
            "is he",
            "what color is",
            "why",
            "where are the",
            "what color",
            "who is",
            "what animal is",
            "is the woman",
            "is this an",
            "do you",
            "how many people are in",
            "what room is",
            "has",
            "is this person",
            "what is the woman",
            "can you",
            "why is the",
            "is the person",
            "what is the color of the",
            "what is the person",
            "could",
            "was",
            "is that a",
            "what number is",
            "what is the name",
            "what brand");

    /** The type of questions no prefix matches. */
    public static final String NONE_OF_THE_ABOVE = "none of the above";

    private static final List<String> LONGEST_FIRST = MSCOCO.stream()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();

    private QuestionTypes() {}

    /**
     * The longest type that is a whole-word prefix of the lower-cased question ({@code "What color is the cat?"}
     * is {@code "what color is the"}), else {@value #NONE_OF_THE_ABOVE}.
     */
    public static String of(String question) {
        String q = question.toLowerCase(java.util.Locale.ROOT).trim();
        for (String type : LONGEST_FIRST) {
            if (q.startsWith(type)
                    && (q.length() == type.length() || !Character.isLetterOrDigit(q.charAt(type.length())))) {
                return type;
            }
        }
        return NONE_OF_THE_ABOVE;
    }
}
