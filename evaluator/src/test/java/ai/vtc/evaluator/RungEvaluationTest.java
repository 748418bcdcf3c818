package ai.vtc.evaluator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.PredictionsReady;
import ai.vtc.contracts.SearchSettings;
import ai.vtc.evaluator.persistence.EvaluationEntity;
import ai.vtc.stack.testing.StackTestResource;
import ai.vtc.vqa.VqaResults;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A rung of a Pareto race: predictions for a prefix of the evaluation set are scored on that prefix, each question's
 * score goes back in the order of the set, and nothing is stored as the trial's result.
 */
@QuarkusTest
@QuarkusTestResource(value = StackTestResource.class, initArgs = @ResourceArg(name = "database", value = "evaluator"))
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RungEvaluationTest {
    private EvaluationFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new EvaluationFixture();
    }

    @AfterAll
    void close() {
        f.close();
    }

    @Test
    void aPrefixIsScoredQuestionByQuestionAndNotStored() throws Exception {
        String trial = "trial-rung-" + UUID.randomUUID().toString().substring(0, 8);
        PredictionsReady whole = f.ready(trial, new Compression("avg_pool", 4, 2, true), 5);
        PredictionsReady rung = new PredictionsReady(
                whole.sweepId(),
                whole.trialId(),
                whole.predictionsUri(),
                whole.dataset(),
                whole.split(),
                whole.compression(),
                whole.visualTokens(),
                whole.seed(),
                whole.training(),
                whole.trainSettingsSha256(),
                whole.cost(),
                0.5);
        List<Long> ids = f.subset.ids("val"); // the evaluation set in its subset's order: prefixes are taken here
        int prefix = SearchSettings.prefixSize(0.5, ids.size());
        VqaResults.Builder answers = VqaResults.builder();
        for (long id : ids.subList(0, prefix)) { // the first half, answered right, as a worker's rung answers it
            answers.add(id, f.subsetAnnotations.multipleChoiceAnswer(f.subsetAnnotations.indexOf(id)));
        }
        f.publish(rung, answers.build());

        EvaluationEvent.Completed done = assertInstanceOf(EvaluationEvent.Completed.class, f.awaitEvaluation(trial));
        assertTrue(done.isRung());
        assertEquals(0.5, done.evalFraction());
        assertEquals(prefix, done.questions());
        assertEquals(prefix, done.questionScores().size());
        double mean = 100
                * done.questionScores().stream()
                        .mapToDouble(Double::doubleValue)
                        .sum()
                / prefix;
        assertEquals(done.overall(), mean, 0.01);
        assertTrue(done.questionScores().stream().allMatch(s -> s >= 0 && s <= 1));
        assertTrue(done.overall() > 50, "the prefix was answered right: " + done.overall());
        assertNull(QuarkusTransaction.requiringNew().call(() -> EvaluationEntity.findById(trial)));
    }
}
