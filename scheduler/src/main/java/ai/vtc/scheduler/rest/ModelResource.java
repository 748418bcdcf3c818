package ai.vtc.scheduler.rest;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.ModelManifest;
import ai.vtc.scheduler.service.ModelRejectedException;
import ai.vtc.scheduler.service.ModelUploads;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Models under {@code models/<name>/}: their manifests, and uploads that check every file before publishing. */
@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models")
public class ModelResource {
    private final ModelUploads uploads;

    public ModelResource(ModelUploads uploads) {
        this.uploads = uploads;
    }

    /**
     * A stored model: its manifest's hash, files and size; {@code sha256} null for files put there without a manifest,
     * {@code uploading} while an upload is under way (or stopped halfway).
     */
    public record ModelView(
            String name, String sha256, Map<String, ModelManifest.FileEntry> files, Long bytes, boolean uploading) {
        static ModelView of(ModelUploads.Stored stored) {
            ModelManifest m = stored.manifest();
            return m == null
                    ? new ModelView(stored.name(), null, null, null, stored.uploading())
                    : new ModelView(stored.name(), m.sha256(), m.files(), m.bytes(), stored.uploading());
        }
    }

    /** The answer to beginning an upload: {@code unchanged}, or a presigned PUT link per file to send it to. */
    public record UploadView(String name, String sha256, boolean unchanged, Map<String, String> uploads) {}

    @GET
    @Operation(summary = "Every model in object storage, with its manifest's sha256 and files")
    public List<ModelView> list() {
        return uploads.list().stream().map(ModelView::of).toList();
    }

    @POST
    @Path("{name}/uploads")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Begin uploading a model folder",
            description =
                    "The body is the folder's manifest ({\"files\": {\"config.json\": {\"sha256\", \"bytes\"}, ...}}). "
                            + "The same files as stored: unchanged, nothing to do. Another model under the name: 409 unless "
                            + "replace=true. Otherwise a presigned PUT link per file; then POST .../uploads/complete.")
    @SecurityRequirement(name = SchedulerApi.TOKEN)
    @APIResponse(responseCode = "200", description = "Unchanged, or the links to upload the files to")
    @APIResponse(responseCode = "400", description = "Not a complete model manifest, or an invalid name")
    @APIResponse(responseCode = "409", description = "Another model is stored under the name")
    public UploadView begin(
            @PathParam("name") String name,
            @QueryParam("replace") @DefaultValue("false") boolean replace,
            String body) {
        ModelManifest proposed;
        try {
            proposed = body == null || body.isBlank() ? null : Json.read(body, ModelManifest.class);
        } catch (IllegalArgumentException e) {
            throw new ModelRejectedException("the body is not a model manifest: " + e.getMessage(), false);
        }
        ModelUploads.Begun begun = uploads.begin(name, proposed, replace);
        return new UploadView(name, begun.manifest().sha256(), begun.unchanged(), begun.uploads());
    }

    @POST
    @Path("{name}/uploads/complete")
    @Operation(
            summary = "Finish an upload",
            description = "Checks every uploaded file against the manifest (size and sha256) and only then publishes "
                    + "models/<name>/manifest.json; a file that differs is deleted and named.")
    @SecurityRequirement(name = SchedulerApi.TOKEN)
    @APIResponse(responseCode = "200", description = "The stored manifest")
    @APIResponse(responseCode = "400", description = "A file is missing or differs, or no upload is under way")
    public ModelView complete(@PathParam("name") String name) {
        ModelManifest manifest = uploads.complete(name);
        return new ModelView(name, manifest.sha256(), manifest.files(), manifest.bytes(), false);
    }
}
