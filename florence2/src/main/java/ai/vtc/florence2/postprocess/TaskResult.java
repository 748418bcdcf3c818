package ai.vtc.florence2.postprocess;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** What {@code post_process_generation} returns: {@code {task: answer}}, e.g. {@code {"<OD>": {"bboxes": ...}}}. */
public record TaskResult(String task, TaskAnswer answer) {

    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonValue
    Map<String, TaskAnswer> asMap() {
        return Map.of(task, answer);
    }

    /** The processor's return value as JSON, with its keys; numbers are the doubles it holds. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a post-processing result did not serialize", e);
        }
    }
}
