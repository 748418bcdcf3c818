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
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every change needs {@code Authorization: Bearer <scheduler.api-token>}; reading does not, except the checkpoint
 * listing, whose presigned links are credentials to the bucket for as long as they last.
 */
public class ApiTokenFilter {
    private static final Set<String> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Pattern HANDS_OUT_LINKS = Pattern.compile("/?trials/[^/]+/checkpoints/?");
    private static final String BEARER = "Bearer ";

    private final byte[] token;

    public ApiTokenFilter(SchedulerConfig config) {
        this.token = config.apiToken().getBytes(StandardCharsets.UTF_8);
    }

    @ServerRequestFilter
    public Optional<Response> requireToken(ContainerRequestContext request) {
        if (READS.contains(request.getMethod())
                && !HANDS_OUT_LINKS.matcher(request.getUriInfo().getPath()).matches()) {
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
                "send 'Authorization: Bearer <token>' (scheduler.api-token) with every change and to list checkpoints",
                null);
        return Optional.of(Response.fromResponse(response)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"scheduler\"")
                .build());
    }
}
