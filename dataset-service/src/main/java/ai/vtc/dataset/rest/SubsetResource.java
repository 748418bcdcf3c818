package ai.vtc.dataset.rest;

import ai.vtc.dataset.service.DatasetCatalog;
import ai.vtc.dataset.service.InvalidRequest;
import ai.vtc.dataset.service.SubsetService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Subsets of a published dataset: create one, list them, read a manifest with its ids and sha256. */
@Path("/datasets/{name}/subsets")
@Produces(MediaType.APPLICATION_JSON)
public class SubsetResource {
    private final SubsetService subsets;
    private final DatasetCatalog catalog;

    public SubsetResource(SubsetService subsets, DatasetCatalog catalog) {
        this.subsets = subsets;
        this.catalog = catalog;
    }

    @GET
    public List<Views.Subset> list(@PathParam("name") String dataset) {
        catalog.get(dataset);
        return subsets.of(dataset).stream().map(Views.Subset::of).toList();
    }

    /** 201 with the new subset, or 200 when the same subset exists already. */
    @POST
    public Response create(@PathParam("name") String dataset, Requests.Subset request) {
        if (request == null) {
            throw new InvalidRequest("a JSON body with a fraction, count or size");
        }
        SubsetService.Created created = subsets.create(dataset, request.spec());
        Views.Subset view = Views.Subset.of(created.subset());
        if (!created.created()) {
            return Response.ok(view).build();
        }
        return Response.created(URI.create("/datasets/" + dataset + "/subsets/" + view.name()))
                .entity(view)
                .build();
    }

    /** The manifest with the bytes it has in object storage (so its sha256 can be checked on what is received). */
    @GET
    @Path("/{subset}")
    public String get(@PathParam("name") String dataset, @PathParam("subset") String subset) {
        return subsets.manifest(dataset, subset).toJson();
    }
}
