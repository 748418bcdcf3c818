package ai.vtc.scheduler.rest;

import ai.vtc.scheduler.config.SchedulerConfig;
import ai.vtc.scheduler.persistence.SweepTrialEntity;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.scheduler.persistence.TrialEventEntity;
import ai.vtc.scheduler.service.CheckpointCatalog;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Trials: state with events, complete checkpoints as presigned download links with checksums, and the samples taken
 * while training.
 */
@Path("/trials")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "trials")
public class TrialResource {
    private final ObjectStore store;
    private final CheckpointCatalog catalog;
    private final SchedulerConfig config;

    public TrialResource(ObjectStore store, CheckpointCatalog catalog, SchedulerConfig config) {
        this.store = store;
        this.catalog = catalog;
        this.config = config;
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A trial with its spec, state and every event received about it")
    @APIResponse(responseCode = "404", description = "No such trial")
    public TrialViews.TrialDetail get(@PathParam("id") String id) {
        TrialEntity trial = find(id);
        List<String> sweeps = SweepTrialEntity.<SweepTrialEntity>list("trialId = ?1 order by sweepId", id).stream()
                .map(st -> st.sweepId)
                .toList();
        return TrialViews.TrialDetail.of(trial, sweeps, TrialEventEntity.ofTrial(id));
    }

    @GET
    @Path("{id}/checkpoints")
    @Operation(
            summary = "The trial's checkpoints in object storage",
            description = "The complete checkpoints (those whose state.json, written last, lists files that are all "
                    + "stored): every file with its sha256 and a presigned GET URL (no credentials needed while it "
                    + "lasts, scheduler.presign-expiry). Needs the API token, as the links hand out stored files.")
    @APIResponse(responseCode = "404", description = "No such trial")
    public TrialViews.Checkpoints checkpoints(@PathParam("id") String id) {
        find(id);
        int expiry = (int) config.presignExpiry().toSeconds();
        List<TrialViews.Checkpoint> checkpoints = new ArrayList<>();
        for (CheckpointCatalog.Step step : catalog.complete(id)) {
            List<TrialViews.FileLink> files = new ArrayList<>();
            for (CheckpointCatalog.StoredFile file : step.files()) {
                files.add(new TrialViews.FileLink(
                        file.name(), file.key(), file.sha256(), store.presignedGet(file.key(), expiry)));
            }
            checkpoints.add(new TrialViews.Checkpoint(step.step(), files));
        }
        return new TrialViews.Checkpoints(id, expiry, checkpoints);
    }

    @GET
    @Path("{id}/samples")
    @Operation(
            summary = "What the model answered for fixed training questions while the trial trained",
            description = "The worker's checkpoints/<trial>/samples.json (train.sample_every_n_steps): every sample so"
                    + " far as {step, question_id, question, target, answer}; an empty list when none was taken.")
    @APIResponse(responseCode = "404", description = "No such trial")
    public Response samples(@PathParam("id") String id) {
        find(id);
        String key = Keys.trainingSamples(id);
        byte[] json = store.exists(key) ? store.get(key) : "[]".getBytes(StandardCharsets.UTF_8);
        return Response.ok(json, MediaType.APPLICATION_JSON).build();
    }

    private static TrialEntity find(String id) {
        TrialEntity trial = TrialEntity.findById(id);
        if (trial == null) {
            throw new NotFoundException("no trial " + id);
        }
        return trial;
    }
}
