package ai.vtc.evaluator.rest;

import ai.vtc.evaluator.persistence.EvaluationEntity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A sweep's results: all of them (JSON, CSV), the leaderboard, and the accuracy / visual-token Pareto front. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ResultsResource {

    @GET
    @Path("sweeps/{sweep}/results")
    public List<ResultRow> results(@PathParam("sweep") String sweep) {
        List<EvaluationEntity> evaluations = EvaluationEntity.ofSweep(sweep);
        Map<Long, Double> baselines = evaluations.stream()
                .filter(e -> e.isCompleted() && "none".equals(e.mode))
                .collect(Collectors.toMap(e -> e.seed, e -> e.overall, (a, b) -> a));
        return evaluations.stream()
                .map(e -> ResultRow.of(e, baselines.get(e.seed)))
                .toList();
    }

    @GET
    @Path("sweeps/{sweep}/results.csv")
    @Produces("text/csv")
    public String csv(@PathParam("sweep") String sweep) {
        StringBuilder out = new StringBuilder(ResultRow.CSV_HEADER).append('\n');
        results(sweep).forEach(row -> out.append(row.csv()).append('\n'));
        return out.toString();
    }

    /** Completed trials, best accuracy first; ties: fewer visual tokens first. */
    @GET
    @Path("sweeps/{sweep}/leaderboard")
    public List<ResultRow> leaderboard(@PathParam("sweep") String sweep) {
        return results(sweep).stream()
                .filter(r -> r.overall() != null)
                .sorted(Comparator.comparing(ResultRow::overall)
                        .reversed()
                        .thenComparingInt(ResultRow::visualTokens)
                        .thenComparing(ResultRow::trialId))
                .toList();
    }

    /**
     * The trials no other trial beats on both axes: none keeps fewer visual tokens with at least the same
     * accuracy, or the same tokens with more accuracy. Ordered by visual tokens kept, ascending.
     */
    @GET
    @Path("sweeps/{sweep}/pareto")
    public List<ResultRow> pareto(@PathParam("sweep") String sweep) {
        List<ResultRow> byTokens = results(sweep).stream()
                .filter(r -> r.overall() != null)
                .sorted(Comparator.comparingInt(ResultRow::visualTokens)
                        .thenComparing(Comparator.comparing(ResultRow::overall).reversed()))
                .toList();
        List<ResultRow> front = new ArrayList<>();
        double best = Double.NEGATIVE_INFINITY;
        for (ResultRow row : byTokens) {
            if (row.overall() > best) {
                front.add(row);
                best = row.overall();
            }
        }
        return front;
    }

    @GET
    @Path("evaluations/{trial}")
    public ResultRow evaluation(@PathParam("trial") String trial) {
        EvaluationEntity e = EvaluationEntity.findById(trial);
        if (e == null) {
            throw new NotFoundException("no evaluation of trial " + trial);
        }
        return ResultRow.of(e, null);
    }
}
