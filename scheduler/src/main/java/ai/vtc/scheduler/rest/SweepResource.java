package ai.vtc.scheduler.rest;

import ai.vtc.scheduler.metrics.SchedulerMetrics;
import ai.vtc.scheduler.persistence.SweepEntity;
import ai.vtc.scheduler.persistence.SweepTrialEntity;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.scheduler.persistence.TrialStatus;
import ai.vtc.scheduler.service.SweepLifecycle;
import ai.vtc.scheduler.service.SweepService;
import ai.vtc.scheduler.service.Transactions;
import io.micrometer.core.instrument.Timer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Sweeps: submit, list, inspect, results, cancel, retry. */
@Path("/sweeps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sweeps")
public class SweepResource {
    private final SweepService sweeps;
    private final SweepLifecycle lifecycle;
    private final Transactions transactions;
    private final SchedulerMetrics metrics;

    public SweepResource(
            SweepService sweeps, SweepLifecycle lifecycle, Transactions transactions, SchedulerMetrics metrics) {
        this.sweeps = sweeps;
        this.lifecycle = lifecycle;
        this.transactions = transactions;
        this.metrics = metrics;
    }

    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain", "application/json"})
    @Operation(
            summary = "Submit a sweep YAML",
            description = "Validates (every problem at once), expands and stores the sweep and queues its new trials. "
                    + "Trials already queued, running or completed (from any sweep) are reused, failed or cancelled "
                    + "ones are queued again.")
    @SecurityRequirement(name = SchedulerApi.TOKEN)
    @APIResponse(responseCode = "201", description = "Accepted: the sweep id and its trials")
    @APIResponse(
            responseCode = "400",
            description = "Invalid spec; nothing stored or published",
            content =
                    @Content(
                            mediaType = Problems.MEDIA_TYPE,
                            schema = @Schema(implementation = Problems.Problem.class)))
    @APIResponse(responseCode = "401", description = "No or wrong API token")
    public Response submit(byte[] yaml) {
        Timer.Sample sample = Timer.start();
        boolean accepted = false;
        try {
            // bytes, not a String: a String body would have bad UTF-8 replaced instead of reported
            SweepViews.Submitted submitted = SweepViews.Submitted.of(sweeps.submit(yaml == null ? new byte[0] : yaml));
            accepted = true;
            return Response.created(URI.create("/sweeps/" + submitted.id()))
                    .entity(submitted)
                    .build();
        } finally {
            sample.stop(metrics.submitTimer(accepted));
        }
    }

    @GET
    @Operation(summary = "The most recent sweeps with their trial counts per state")
    public List<SweepViews.SweepSummary> list(@QueryParam("limit") @DefaultValue("50") int limit) {
        List<SweepEntity> recent = SweepEntity.recent(Math.max(1, Math.min(limit, 1000)));
        Map<String, Map<TrialStatus, Long>> counts =
                SweepTrialEntity.countsByStatus(recent.stream().map(s -> s.id).toList());
        return recent.stream()
                .map(s -> SweepViews.SweepSummary.of(s, counts.getOrDefault(s.id, Map.of())))
                .toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A sweep with its spec and trial table")
    @APIResponse(responseCode = "404", description = "No such sweep")
    public SweepViews.SweepDetail get(@PathParam("id") String id) {
        SweepEntity sweep = find(id);
        return SweepViews.SweepDetail.of(sweep, summary(sweep), TrialEntity.ofSweep(id));
    }

    @GET
    @Path("{id}/results")
    @Operation(
            summary = "The sweep's evaluated trials, best accuracy first",
            description = "Each with its training and setting, accuracy and 95% interval, the paired difference to "
                    + "its reference trial (or why there is none), the spread across seeds, its cost (visual tokens, "
                    + "GFLOPs, latencies) and whether it is on the Pareto front of accuracy against each cost "
                    + "(on_front.tokens, .gflops, .latency).")
    @APIResponse(responseCode = "404", description = "No such sweep")
    public SweepViews.Results results(@PathParam("id") String id) {
        SweepEntity sweep = find(id);
        List<TrialEntity> trials = TrialEntity.ofSweep(id);
        List<SweepViews.ResultRow> rows = SweepResults.of(trials);
        return new SweepViews.Results(sweep.id, sweep.name, rows.size(), trials.size() - rows.size(), rows);
    }

    @POST
    @Path("{id}/cancel")
    @Operation(
            summary = "Cancel a sweep",
            description = "Queued trials never start; running trials are told on trial-control to stop at their next "
                    + "step. Trials another running sweep also contains go on.")
    @SecurityRequirement(name = SchedulerApi.TOKEN)
    @APIResponse(responseCode = "404", description = "No such sweep")
    public SweepViews.Changed cancel(@PathParam("id") String id) {
        SweepLifecycle.Cancelled result = transactions.withRetry(() -> lifecycle.cancel(id));
        if (result == null) {
            throw new NotFoundException("no sweep " + id);
        }
        return new SweepViews.Changed(
                id, summary(find(id)).status(), result.cancelled(), result.cancelling(), result.kept(), 0);
    }

    @POST
    @Path("{id}/retry")
    @Operation(summary = "Queue the next attempt of the sweep's failed trials (only those)")
    @SecurityRequirement(name = SchedulerApi.TOKEN)
    @APIResponse(responseCode = "404", description = "No such sweep")
    public SweepViews.Changed retry(@PathParam("id") String id) {
        int retried = transactions.withRetry(() -> lifecycle.retry(id));
        if (retried < 0) {
            throw new NotFoundException("no sweep " + id);
        }
        return new SweepViews.Changed(id, summary(find(id)).status(), 0, 0, 0, retried);
    }

    private static SweepEntity find(String id) {
        SweepEntity sweep = SweepEntity.findById(id);
        if (sweep == null) {
            throw new NotFoundException("no sweep " + id);
        }
        return sweep;
    }

    private static SweepViews.SweepSummary summary(SweepEntity sweep) {
        return SweepViews.SweepSummary.of(
                sweep, SweepTrialEntity.countsByStatus(List.of(sweep.id)).getOrDefault(sweep.id, Map.of()));
    }
}
