package ai.vtc.dataset.rest;

import ai.vtc.dataset.config.DatasetConfig;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Creating datasets and subsets (every POST, PUT, PATCH and DELETE) needs {@code Authorization: Bearer
 * <datasets.api-token>}, the same token as the scheduler's: an ingest reads the service's disk and writes the
 * bucket every trial trusts. Reading stays open, as the scheduler's does.
 */
public class ApiTokenFilter {
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    public ApiTokenFilter(DatasetConfig config) {
        this.token = config.apiToken().getBytes(StandardCharsets.UTF_8);
    }

    @ServerRequestFilter
    public Optional<Response> requireTokenForChanges(ContainerRequestContext request) {
        String method = request.getMethod();
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS)) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean valid = header != null
                && header.startsWith(BEARER)
                && MessageDigest.isEqual(
                        token, header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8));
        if (valid) {
            return Optional.empty();
        }
        return Optional.of(Response.fromResponse(
                        Problems.response(
                                401,
                                "unauthorized",
                                "An API token is required",
                                "send 'Authorization: Bearer <token>' (datasets.api-token, the scheduler's token) with every change"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"dataset-service\"")
                .build());
    }
}
