package ai.vtc.scheduler.rest;

import ai.vtc.scheduler.config.SchedulerConfig;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Every change needs {@code Authorization: Bearer <scheduler.api-token>}; reading does not. */
public class ApiTokenFilter {
    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    public ApiTokenFilter(SchedulerConfig config) {
        this.token = config.apiToken().getBytes(StandardCharsets.UTF_8);
    }

    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext request) {
        if (READS.contains(request.getMethod())) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null
                && header.startsWith(BEARER)
                && MessageDigest.isEqual(
                        token, header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        Response response = Problems.response(
                401,
                "unauthorized",
                "An API token is required",
                "send 'Authorization: Bearer <token>' (scheduler.api-token) with every change",
                null);
        return Optional.of(Response.fromResponse(response)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"scheduler\"")
                .build());
    }
}
