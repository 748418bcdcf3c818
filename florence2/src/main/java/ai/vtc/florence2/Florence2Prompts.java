package ai.vtc.florence2;

import java.util.List;

/**
 * The task-token expansion of Florence-2's processor ({@code Florence2Processor._construct_prompts}): the pretrained
 * model was trained on these sentences, not on the task tokens. A text holding a task token without input must be
 * exactly that token and becomes its sentence; a text holding a task token with input becomes its template with the
 * rest of the text (every occurrence of the token removed) as input; the first token of each table wins, in the
 * processor's table order ({@link Florence2Task#ofForm}); any other text (e.g. {@code "<VQA>what color is it?"}, a
 * fine-tuning convention) is used as it is. Reproduces the processor on every case of its golden fixtures, including
 * a template task with an empty input, which the processor accepts; {@link Florence2Task#text} is the checked way to
 * build a task's text.
 */
public final class Florence2Prompts {

    private static final List<Florence2Task> WITHOUT_INPUT = Florence2Task.ofForm(Florence2Task.PromptForm.SENTENCE);
    private static final List<Florence2Task> WITH_INPUT = Florence2Task.ofForm(Florence2Task.PromptForm.TEMPLATE);

    private Florence2Prompts() {}

    public static String construct(String text) {
        String prompt = text;
        for (Florence2Task task : WITHOUT_INPUT) {
            if (prompt.contains(task.token())) {
                if (!prompt.equals(task.token())) {
                    throw new IllegalArgumentException("Task token " + task.token()
                            + " should be the only token in the text. (" + task.token()
                            + " takes no text input; got \"" + text + "\")");
                }
                prompt = task.prompt();
                break;
            }
        }
        for (Florence2Task task : WITH_INPUT) {
            if (prompt.contains(task.token())) {
                prompt = task.prompt().replace("{input}", prompt.replace(task.token(), ""));
                break;
            }
        }
        return prompt;
    }

    /** {@link #construct} of every text (the processor's batch call). */
    public static List<String> construct(List<String> texts) {
        return texts.stream().map(Florence2Prompts::construct).toList();
    }
}
