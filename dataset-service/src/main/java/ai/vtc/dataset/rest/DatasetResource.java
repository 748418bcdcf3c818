package ai.vtc.dataset.rest;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.DatasetTask;
import ai.vtc.contracts.Json;
import ai.vtc.dataset.persistence.DatasetEntity;
import ai.vtc.dataset.persistence.JobEntity;
import ai.vtc.dataset.service.DatasetCatalog;
import ai.vtc.dataset.service.DatasetIngest;
import ai.vtc.dataset.service.InvalidRequest;
import ai.vtc.dataset.service.Jobs;
import ai.vtc.dataset.service.SubsetService;
import io.quarkus.narayana.jta.QuarkusTransaction;
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

/** Datasets: list and read them, create one (synthetic, folder, S3 prefix) as a job, follow the job. */
@Path("/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {
    private final DatasetCatalog catalog;
    private final DatasetIngest ingest;
    private final SubsetService subsets;
    private final Jobs jobs;

    public DatasetResource(DatasetCatalog catalog, DatasetIngest ingest, SubsetService subsets, Jobs jobs) {
        this.catalog = catalog;
        this.ingest = ingest;
        this.subsets = subsets;
        this.jobs = jobs;
    }

    @GET
    public List<Views.DatasetSummary> list() {
        return catalog.ready().stream().map(Views.DatasetSummary::of).toList();
    }

    @GET
    @Path("/{name}")
    public Views.DatasetDetail get(@PathParam("name") String name) {
        DatasetEntity dataset = catalog.get(name);
        return new Views.DatasetDetail(
                name,
                Json.read(dataset.manifestJson, DatasetManifest.class),
                subsets.of(name).stream().map(Views.Subset::of).toList());
    }

    @POST
    @Path("/synthetic")
    public Response synthetic(Requests.Synthetic request) {
        if (request == null) {
            throw new InvalidRequest("a JSON body with at least a name");
        }
        JobEntity job = ingest.synthetic(request.name(), request.options(), request.subsetSpecs(), Json.write(request));
        return accepted(job);
    }

    @POST
    @Path("/ingest")
    public Response ingest(Requests.Ingest request) {
        if (request == null) {
            throw new InvalidRequest("a JSON body with a name and a folder or an s3_prefix");
        }
        if ((request.folder() == null) == (request.s3Prefix() == null)) {
            throw new InvalidRequest("give exactly one of folder and s3_prefix");
        }
        String json = Json.write(request);
        DatasetTask task = request.datasetTask();
        JobEntity job = request.folder() != null
                ? ingest.fromFolder(request.name(), request.folder(), task, request.subsetSpecs(), json)
                : ingest.fromS3(request.name(), request.s3Prefix(), task, request.subsetSpecs(), json);
        return accepted(job);
    }

    @POST
    @Path("/synthetic-docvqa")
    public Response syntheticDocVqa(Requests.SyntheticDocVqaSet request) {
        if (request == null) {
            throw new InvalidRequest("a JSON body with at least a name");
        }
        JobEntity job =
                ingest.syntheticDocVqa(request.name(), request.options(), request.subsetSpecs(), Json.write(request));
        return accepted(job);
    }

    /** The 50 most recent jobs, newest first. */
    @GET
    @Path("/jobs")
    public List<Views.Job> jobs() {
        return QuarkusTransaction.requiringNew().call(() -> JobEntity.recent(50)).stream()
                .map(job -> Views.Job.of(job, jobs.live(job.id).orElse(null)))
                .toList();
    }

    /**
     * A job's state and progress. With {@code wait} (seconds, at most 600) the answer comes when the job has
     * finished or the time is up, so a script can wait with one call: {@code curl .../jobs/<id>?wait=600}.
     */
    @GET
    @Path("/jobs/{id}")
    public Views.Job job(@PathParam("id") String id, @QueryParam("wait") @DefaultValue("0") int waitSeconds) {
        if (waitSeconds < 0 || waitSeconds > 600) {
            throw new InvalidRequest("wait is 0..600 seconds");
        }
        long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
        while (true) {
            JobEntity job = QuarkusTransaction.requiringNew().call(() -> JobEntity.findById(id));
            if (job == null) {
                throw new NotFoundException("no job " + id);
            }
            if (job.state.isFinished() || System.nanoTime() >= deadline) {
                return Views.Job.of(job, jobs.live(id).orElse(null));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Views.Job.of(job, jobs.live(id).orElse(null));
            }
        }
    }

    private Response accepted(JobEntity job) {
        return Response.accepted(Views.Job.of(job, null))
                .location(URI.create("/datasets/jobs/" + job.id))
                .build();
    }
}
