package ai.vtc.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.contracts.CanonicalJson;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.Topics;
import ai.vtc.contracts.TrialRequested;
import ai.vtc.scheduler.persistence.BulkInserts;
import ai.vtc.scheduler.persistence.OutboxEntity;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.scheduler.service.Outbox;
import ai.vtc.storage.ObjectStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A {@link TrialRequested} is written twice in the scheduler: as the record ({@link Outbox#trialRequested}, one
 * trial at a time) and in SQL ({@link BulkInserts#trialRequests}, a whole submission in one statement). Both are
 * built here for the same trials, in a transaction that is rolled back, and compared field by field: a component
 * added to the record and not to the SQL fails this test.
 */
@QuarkusTest
@QuarkusTestResource(value = SharedStackResource.class, initArgs = @ResourceArg(name = "database", value = "scheduler"))
class TrialRequestedSqlTest {
    private static final String SQL_BUILT = "trial-requested-sql-test";
    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    @Inject
    ObjectStore store;

    @Inject
    Outbox outbox;

    @Inject
    UserTransaction transaction;

    @Test
    void theBulkInsertWritesEveryFieldOfTheRecordWithTheSameValues() throws Exception {
        // cancelled and submitted again, so the requests carry attempt 2 and the trials other fields than defaults
        String yaml = Fixtures.designExample(store);
        JsonPath first = Fixtures.submit(yaml);
        Fixtures.post("/sweeps/" + first.getString("id") + "/cancel");
        JsonPath again = Fixtures.submit(yaml);
        String sweepId = again.getString("id");
        List<String> ids = again.getList("trials.id");
        assertEquals(
                List.of("requeued"),
                again.getList("trials.submission").stream().distinct().toList());
        Eventually.assertThat(() -> assertEquals(0L, outboxRows(ids), "the relay published the submission"));

        Map<String, Map<String, String>> byTopic = new HashMap<>();
        transaction.begin();
        try {
            for (String id : ids) {
                outbox.trialRequested(TrialEntity.findById(id));
            }
            BulkInserts.trialRequests(sweepId, SQL_BUILT);
            for (OutboxEntity row : OutboxEntity.<OutboxEntity>list("trialId in ?1", ids)) {
                byTopic.computeIfAbsent(row.topic, t -> new HashMap<>()).put(row.trialId, row.payload);
            }
        } finally {
            transaction.rollback(); // nothing of this is ever published
        }

        Map<String, String> viaRecord = byTopic.get(Topics.TRIALS);
        Map<String, String> viaSql = byTopic.get(SQL_BUILT);
        assertEquals(Set.copyOf(ids), viaRecord.keySet());
        assertEquals(Set.copyOf(ids), viaSql.keySet());
        Set<String> fields = new TreeSet<>(Arrays.stream(TrialRequested.class.getRecordComponents())
                .map(c -> SNAKE_CASE.translate(c.getName()))
                .toList());
        for (String id : ids) {
            JsonNode record = tree(viaRecord.get(id));
            JsonNode sql = tree(viaSql.get(id));
            assertEquals(fields, names(record), "the record's JSON has every component");
            assertEquals(fields, names(sql), "the SQL builds every component of TrialRequested (BulkInserts)");
            assertEquals(CanonicalJson.of(record), CanonicalJson.of(sql), id);
            assertEquals(
                    Json.read(viaRecord.get(id), TrialRequested.class),
                    Json.read(viaSql.get(id), TrialRequested.class));
            assertEquals(2, sql.path("attempt").asInt());
        }
    }

    private static long outboxRows(List<String> trialIds) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxEntity.count("trialId in ?1", trialIds));
    }

    private static JsonNode tree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
