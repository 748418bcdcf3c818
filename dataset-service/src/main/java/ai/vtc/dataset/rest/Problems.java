package ai.vtc.dataset.rest;

import ai.vtc.contracts.Json;
import ai.vtc.dataset.service.DatasetConflict;
import ai.vtc.dataset.service.InvalidRequest;
import ai.vtc.storage.StorageException;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors as RFC 9457 problem details ({@code application/problem+json}), with the reason in {@code detail}. */
public class Problems {
    public static final String MEDIA_TYPE = "application/problem+json";

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String type, String title, int status, String detail) {}

    static Response response(int status, String type, String title, String detail) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(Json.write(new Problem("/problems/" + type, title, status, detail)))
                .build();
    }

    @ServerExceptionMapper
    public Response invalid(InvalidRequest e) {
        return response(400, "invalid-request", "The request is invalid", e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(DatasetConflict e) {
        return response(409, "conflict", "Exists already", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return response(404, "not-found", "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response storage(StorageException e) {
        return response(503, "storage-unavailable", "Object storage is unavailable", e.getMessage());
    }
}
