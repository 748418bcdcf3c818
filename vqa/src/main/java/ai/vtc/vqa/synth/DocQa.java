package ai.vtc.vqa.synth;

import java.util.List;

/**
 * A question about a synthetic document whose answers are strings printed on it.
 *
 * @param answers what annotators would write: the printed string first, sometimes a variant of it (a price without
 *     its currency sign, a telephone number without brackets)
 */
record DocQa(String question, List<String> answers) {
    DocQa {
        answers = List.copyOf(answers);
    }

    static DocQa of(String question, String... answers) {
        return new DocQa(question, List.of(answers));
    }
}
