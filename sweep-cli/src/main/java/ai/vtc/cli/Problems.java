package ai.vtc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** A scheduler refusal as lines a researcher can act on: every problem of a spec with its path. */
final class Problems {
    private Problems() {}

    static void print(SchedulerClient.ApiException e, PrintWriter err) {
        err.println("sweep: " + e.getMessage());
        JsonNode problem = e.problem();
        if (problem != null && problem.path("errors").isArray()) {
            for (JsonNode error : problem.path("errors")) {
                String path = error.path("path").asText();
                err.println("  " + (path.isEmpty() ? "(document)" : path) + ": "
                        + error.path("message").asText());
            }
        }
        err.flush();
    }
}
