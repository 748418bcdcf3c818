package ai.vtc.scheduler.rest;

import ai.vtc.contracts.InvalidSweepException;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.SpecProblem;
import ai.vtc.scheduler.service.ModelRejectedException;
import ai.vtc.storage.StorageException;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors as RFC 9457 problem details ({@code application/problem+json}). */
public class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";

    /**
     * @param errors for an invalid sweep: every problem with its path ({@code grid.factor[1]})
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String type, String title, int status, String detail, List<SpecProblem> errors) {}

    public static Response response(int status, String type, String title, String detail, List<SpecProblem> errors) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(Json.write(new Problem("/problems/" + type, title, status, detail, errors)))
                .build();
    }

    @ServerExceptionMapper
    public Response invalidSweep(InvalidSweepException e) {
        List<SpecProblem> errors = e.problems();
        return response(
                400,
                "invalid-sweep",
                "The sweep spec is invalid",
                errors.size() + " problem(s); nothing was stored or published",
                errors);
    }

    @ServerExceptionMapper
    public Response modelRejected(ModelRejectedException e) {
        return e.conflict()
                ? response(409, "model-exists", "Another model is stored under this name", e.getMessage(), null)
                : response(400, "invalid-model", "The model upload is refused", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return response(404, "not-found", "Not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response storage(StorageException e) {
        return response(503, "storage-unavailable", "Object storage is unavailable", e.getMessage(), null);
    }
}
