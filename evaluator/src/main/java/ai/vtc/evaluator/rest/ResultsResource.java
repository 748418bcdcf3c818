package ai.vtc.evaluator.rest;

import ai.vtc.contracts.CostAxis;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A sweep's results: all of them (JSON, CSV) with their intervals, comparisons, spreads across seeds, costs and Pareto
 * flags, the leaderboard, and the Pareto front of accuracy against a chosen cost.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class ResultsResource {

    @GET
    @Path("sweeps/{sweep}/results")
    public List<ResultRow> results(@PathParam("sweep") String sweep) {
        return SweepResults.of(EvaluationEntity.ofSweep(sweep));
    }

    /** The results as CSV, with an {@code on_front_<axis>} column per cost axis. */
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
     * The trials no other trial beats on both accuracy and {@code cost} ({@link CostAxis}: {@code tokens}, the
     * default, {@code gflops} or {@code latency}): none costs no more with at least the same accuracy and is better
     * in one of the two. Trials whose cost on that axis is unknown are left out. Ordered by cost, ascending.
     */
    @GET
    @Path("sweeps/{sweep}/pareto")
    public List<ResultRow> pareto(
            @PathParam("sweep") String sweep, @QueryParam("cost") @DefaultValue("tokens") String cost) {
        CostAxis axis;
        try {
            axis = CostAxis.byId(cost);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(Response.status(Response.Status.BAD_REQUEST)
                    .type(MediaType.TEXT_PLAIN)
                    .entity(e.getMessage())
                    .build());
        }
        List<EvaluationEntity> evaluations = EvaluationEntity.ofSweep(sweep);
        Map<String, ResultRow> rows = SweepResults.of(evaluations).stream()
                .collect(Collectors.toMap(ResultRow::trialId, Function.identity()));
        return SweepResults.frontOrder(evaluations, axis).stream()
                .map(rows::get)
                .toList();
    }

    @GET
    @Path("evaluations/{trial}")
    public ResultRow evaluation(@PathParam("trial") String trial) {
        EvaluationEntity e = EvaluationEntity.findById(trial);
        if (e == null) {
            throw new NotFoundException("no evaluation of trial " + trial);
        }
        return SweepResults.of(EvaluationEntity.ofSweep(e.sweepId)).stream()
                .filter(r -> r.trialId().equals(trial))
                .findFirst()
                .orElseThrow();
    }
}
