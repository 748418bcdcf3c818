package ai.vtc.evaluator.rest;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.evaluator.messaging.PredictionsConsumer;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /evaluations/{trial}/reevaluate}: an operator has a FAILED evaluation made again, once what it failed
 * on is fixed (a subset or annotations file replaced), and gets the new result, which is also announced on
 * {@code evaluations}. A completed evaluation is refused (409): its scores never change. It changes nothing but a
 * failed evaluation, so it needs no token.
 */
@Path("/evaluations/{trial}/reevaluate")
public class ReevaluationResource {
    private final PredictionsConsumer predictions;
    private final ResultsResource results;

    public ReevaluationResource(PredictionsConsumer predictions, ResultsResource results) {
        this.predictions = predictions;
        this.results = results;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public ResultRow reevaluate(@PathParam("trial") String trial) {
        PredictionsReady ready = QuarkusTransaction.requiringNew().call(() -> request(trial));
        predictions.reevaluate(ready);
        return QuarkusTransaction.requiringNew().call(() -> results.evaluation(trial));
    }

    private static PredictionsReady request(String trial) {
        EvaluationEntity stored = EvaluationEntity.findById(trial);
        if (stored == null) {
            throw new NotFoundException("no evaluation of trial " + trial);
        }
        if (stored.isCompleted()) {
            throw conflict("the evaluation of trial " + trial + " completed; its scores never change");
        }
        if (stored.requestJson == null) {
            throw conflict("the evaluation of trial " + trial + " was stored before the evaluator kept the request it"
                    + " was made from; it cannot be made again");
        }
        return Json.read(stored.requestJson, PredictionsReady.class);
    }

    private static ClientErrorException conflict(String message) {
        return new ClientErrorException(Response.status(Response.Status.CONFLICT)
                .type(MediaType.TEXT_PLAIN)
                .entity(message)
                .build());
    }
}
