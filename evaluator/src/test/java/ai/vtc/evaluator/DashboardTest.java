package ai.vtc.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.vtc.contracts.MetricNames;
import ai.vtc.stack.PrometheusServer;
import ai.vtc.stack.StackConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard's queries against a real Prometheus (Debian's) scraping this evaluator after it has
 * results. Panels on the evaluator's metrics ({@code vqa_*}) must each return a series here; the worker and
 * scheduler panels are checked the same way by the end-to-end test, where those services run.
 */
@QuarkusTest
@QuarkusTestResource(
        value = ai.vtc.stack.testing.StackTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "evaluator"))
class DashboardTest {
    private static final Path DASHBOARD = Path.of("../deploy/grafana/dashboards/vtc-sweeps.json");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyEvaluatorPanelQueryReturnsASeries() throws Exception {
        assumeTrue(
                PrometheusServer.ifInstalled(StackConfig.defaults(Path.of("."))).isPresent(),
                "prometheus is not installed (apt-get install prometheus)");
        try (EvaluationFixture fixture = new EvaluationFixture()) {
            fixture.evaluateSweep();
        }
        StackConfig config = StackConfig.builder(Files.createTempDirectory("dashboard-prometheus"))
                .randomPorts()
                .prometheus("on")
                .services(Path.of(".."), List.of(new StackConfig.ServiceSpec("evaluator", RestAssured.port, null)))
                .build();
        PrometheusServer prometheus = PrometheusServer.ifInstalled(config).orElseThrow();
        prometheus.start();
        try {
            Map<String, String> queries = evaluatorQueries();
            assertTrue(queries.size() >= 6, "evaluator panels: " + queries.keySet());
            for (String gauge : List.of(
                    MetricNames.VQA_ACCURACY_LOWER,
                    MetricNames.VQA_ACCURACY_UPPER,
                    MetricNames.VQA_ACCURACY_DELTA_LOWER,
                    MetricNames.VQA_ACCURACY_DELTA_UPPER,
                    MetricNames.VQA_PREFILL_GFLOPS,
                    MetricNames.VQA_PREFILL_LATENCY_MS,
                    MetricNames.VQA_DECODE_STEP_MS)) {
                String series = gauge.replace('.', '_') + "{";
                assertTrue(
                        queries.values().stream().anyMatch(q -> q.contains(series)),
                        "a panel shows " + series + " " + queries.values());
            }
            Map<String, String> empty = new TreeMap<>();
            long deadline = System.nanoTime() + 60_000_000_000L;
            do {
                Thread.sleep(2000);
                empty.clear();
                for (Map.Entry<String, String> q : queries.entrySet()) {
                    JsonNode answer = query(prometheus.url(), q.getValue());
                    assertEquals("success", answer.path("status").asText(), q.getKey() + ": " + answer);
                    if (answer.at("/data/result").isEmpty()) {
                        empty.put(q.getKey(), q.getValue());
                    }
                }
            } while (!empty.isEmpty() && System.nanoTime() < deadline);
            assertTrue(empty.isEmpty(), "panel queries without a series: " + empty);
        } finally {
            prometheus.stop();
        }
    }

    /** Panel title + target ref to the query, with the dashboard variables set to "All". */
    private static Map<String, String> evaluatorQueries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        Map<String, String> queries = new TreeMap<>();
        List<String> others = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                String expr =
                        target.get("expr").asText().replace("$sweep", ".*").replace("$mode", ".*");
                if (expr.contains("vqa_") && !expr.contains("worker_") && !expr.contains("sweep_trials")) {
                    queries.put(
                            panel.get("title").asText() + " / "
                                    + target.get("refId").asText(),
                            expr);
                } else {
                    others.add(expr);
                }
            }
        }
        assertFalse(others.isEmpty(), "the dashboard also has worker and scheduler panels");
        for (String gauge : List.of(MetricNames.WORKER_TRIAL_LOSS, MetricNames.WORKER_TRIAL_LEARNING_RATE)) {
            String series = gauge.replace('.', '_');
            assertTrue(others.stream().anyMatch(q -> q.contains(series)), "a panel shows " + series + " " + others);
        }
        return queries;
    }

    private JsonNode query(String prometheus, String expr) throws Exception {
        String url = prometheus + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8);
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }
}
