package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Florence2Prompts} and {@link Florence2Task} against the processor's {@code prompts.json}. */
class PromptsFixtureTest {

    private static final JsonNode FIXTURE = ProcessorFixtures.read("prompts.json");

    @Test
    void everyCaseGivesTheProcessorsPrompt() {
        JsonNode cases = FIXTURE.path("cases");
        assertEquals(37, cases.size());
        for (JsonNode c : cases) {
            String text = c.path("text").asText();
            assertEquals(c.path("prompt").asText(), Florence2Prompts.construct(text), "text \"" + text + "\"");
        }
    }

    @Test
    void aNoInputTaskWithMoreTextFailsAsTheProcessorAsserts() {
        JsonNode errors = FIXTURE.path("errors");
        assertEquals(5, errors.size());
        for (JsonNode e : errors) {
            String text = e.path("text").asText();
            IllegalArgumentException thrown =
                    assertThrows(IllegalArgumentException.class, () -> Florence2Prompts.construct(text), text);
            assertTrue(thrown.getMessage().startsWith(e.path("message").asText()), text + " -> " + thrown.getMessage());
        }
    }

    @Test
    void aBatchGivesEachTextsPrompt() {
        List<String> texts = new ArrayList<>();
        FIXTURE.path("batch").path("texts").forEach(t -> texts.add(t.asText()));
        List<String> prompts = new ArrayList<>();
        FIXTURE.path("batch").path("prompts").forEach(p -> prompts.add(p.asText()));
        assertEquals(prompts, Florence2Prompts.construct(texts));
    }

    @Test
    void theTaskTablesAreTheProcessorsInItsOrder() {
        JsonNode tables = FIXTURE.path("tables");
        // in order: the first token of a table that a text holds wins
        assertEquals(
                List.copyOf(table(tables.path("task_prompts_without_inputs")).entrySet()),
                List.copyOf(prompts(Florence2Task.PromptForm.SENTENCE).entrySet()));
        assertEquals(
                List.copyOf(table(tables.path("task_prompts_with_input")).entrySet()),
                List.copyOf(prompts(Florence2Task.PromptForm.TEMPLATE).entrySet()));
        Map<String, String> answerTypes = new LinkedHashMap<>();
        for (Florence2Task task : Florence2Task.values()) {
            if (task.promptForm() != Florence2Task.PromptForm.TOKEN_AND_TEXT) {
                answerTypes.put(task.token(), task.answerType().processorName());
            }
        }
        assertEquals(table(tables.path("tasks_answer_post_processing_type")), answerTypes);
    }

    private static Map<String, String> table(JsonNode table) {
        Map<String, String> entries = new LinkedHashMap<>();
        table.fields()
                .forEachRemaining(e -> entries.put(e.getKey(), e.getValue().asText()));
        return entries;
    }

    private static Map<String, String> prompts(Florence2Task.PromptForm form) {
        Map<String, String> entries = new LinkedHashMap<>();
        Florence2Task.ofForm(form).forEach(t -> entries.put(t.token(), t.prompt()));
        return entries;
    }
}
