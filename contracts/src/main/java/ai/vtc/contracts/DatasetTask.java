package ai.vtc.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.List;

/**
 * What a dataset asks of the model, which decides the evaluation metric and the default prompt. Datasets, sweeps and
 * messages from before tasks existed hold VQAv2-style questions and mean {@link #VQA}.
 */
public enum DatasetTask {
    /** Short answers scored with the official VQAv2 accuracy. */
    VQA("vqa", "vqa_accuracy", SpecDefaults.PROMPT),
    /** Answers printed on document images, scored with DocVQA's ANLS (as the Florence-2 DocVQA fine-tuning prompts). */
    DOCVQA("docvqa", "anls", "<DocVQA>{question}");

    private final String id;
    private final String metric;
    private final String prompt;

    DatasetTask(String id, String metric, String prompt) {
        this.id = id;
        this.metric = metric;
        this.prompt = prompt;
    }

    /** The name in sweeps, manifests and messages. */
    @JsonValue
    public String id() {
        return id;
    }

    /** The name of the metric results of this task are scored with ({@code vqa_accuracy}, {@code anls}). */
    public String metric() {
        return metric;
    }

    /** The prompt a sweep uses when it sets none, {@code {question}} replaced by the question. */
    public String defaultPrompt() {
        return prompt;
    }

    /** Every name, for messages. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(DatasetTask::id).toList();
    }

    /**
     * The task a sweep, manifest or message names; null (absent, as before tasks existed) is {@link #VQA}.
     *
     * @throws IllegalArgumentException for a name that is not one of {@link #ids()}
     */
    @JsonCreator
    public static DatasetTask fromId(String id) {
        if (id == null) {
            return VQA;
        }
        for (DatasetTask t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("task must be one of " + ids() + ", not '" + id + "'");
    }
}
