package ai.vtc.dataset.rest;

import ai.vtc.dataset.config.DatasetConfig;
import ai.vtc.dataset.service.InvalidRequest;
import ai.vtc.dataset.service.QuestionPages;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** A split's questions (optionally one subset's) with their image keys, in pages: what a worker streams. */
@Path("/datasets/{name}/splits/{split}/questions")
@Produces(MediaType.APPLICATION_JSON)
public class QuestionResource {
    private final QuestionPages pages;
    private final DatasetConfig config;

    public QuestionResource(QuestionPages pages, DatasetConfig config) {
        this.pages = pages;
        this.config = config;
    }

    @GET
    public QuestionPages.Page page(
            @PathParam("name") String dataset,
            @PathParam("split") String split,
            @QueryParam("subset") String subset,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("1000") int limit) {
        if (offset < 0 || limit < 1 || limit > config.maxPageSize()) {
            throw new InvalidRequest("offset must be at least 0 and limit in 1.." + config.maxPageSize());
        }
        return pages.page(dataset, split, subset, offset, limit);
    }
}
