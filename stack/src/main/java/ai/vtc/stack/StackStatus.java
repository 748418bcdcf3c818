package ai.vtc.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/** What of a stack answers right now, by pid file and port. */
final class StackStatus {
    private StackStatus() {}

    static Map<String, String> probe(StackConfig config) {
        Map<String, String> status = new LinkedHashMap<>();
        status.put("kafka", port(config, "kafka", config.kafkaPort()));
        status.put("s3", port(config, "s3", config.s3Port()));
        status.put("postgres", port(config, "postgres", config.postgresPort()));
        if (PrometheusServer.findBinary().isPresent()) {
            status.put("prometheus", port(config, "prometheus", config.prometheusPort()));
        }
        for (StackConfig.ServiceSpec s : config.services()) {
            String problem = Http.problemWith("http://" + config.host() + ":" + s.port() + "/q/health");
            status.put(
                    s.name(),
                    problem == null ? "up      http://" + config.host() + ":" + s.port() : "down    " + problem);
        }
        return status;
    }

    private static String port(StackConfig config, String name, int port) {
        boolean listening = Ports.isListening(config.host(), port);
        String pid =
                ChildProcess.adopt(config, name, "").map(p -> "pid " + p.pid()).orElse("no process");
        return (listening ? "up      " : "down    ") + config.host() + ":" + port + "  (" + pid + ")";
    }
}
