package ai.vtc.scheduler.persistence;

import io.quarkus.hibernate.orm.panache.Panache;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The rows of a large sweep (10,000 trials: trial, sweep_trial and outbox rows) through PostgreSQL's {@code COPY} on
 * the transaction's connection: Hibernate's and even batched JDBC's per-row work cost several times the database's.
 * Column names are the entity field names, which PostgreSQL folds to lower case exactly as Hibernate's default
 * naming does (a test of every bulk path reads the rows back through the entities).
 */
public final class BulkInserts {
    private static final int CHUNK = 2000;

    private BulkInserts() {}

    /** Those of {@code ids} that are trials already, in one query. */
    public static Set<String> existingTrials(List<String> ids) {
        Set<String> existing = new HashSet<>();
        if (ids.isEmpty()) {
            return existing;
        }
        Panache.getSession().doWork((Connection connection) -> {
            try (PreparedStatement ps = connection.prepareStatement("select id from trial where id = any(?)")) {
                ps.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        existing.add(rs.getString(1));
                    }
                }
            }
        });
        return existing;
    }

    public static void trials(List<TrialEntity> trials) {
        copy(
                "trial (id, specJson, training, mode, factor, stage, sorted, keep, dominant, imageSize, seed, visualTokens,"
                        + " status, attempt, lastAllowedAttempt, sweepId,"
                        + " step, totalSteps, createdAt, updatedAt, evalFraction)",
                trials,
                (t, row) -> row.add(t.id)
                        .add(t.specJson)
                        .add(t.training)
                        .add(t.mode)
                        .add(t.factor)
                        .add(t.stage)
                        .add(t.sorted)
                        .add(t.keep)
                        .add(t.dominant)
                        .add(t.imageSize)
                        .add(t.seed)
                        .add(t.visualTokens)
                        .add(t.status.name())
                        .add(t.attempt)
                        .add(t.lastAllowedAttempt)
                        .add(t.sweepId)
                        .add(t.step)
                        .add(t.totalSteps)
                        .add(t.createdAt)
                        .add(t.updatedAt)
                        .add(t.evalFraction));
    }

    public static void links(List<SweepTrialEntity> links) {
        copy(
                "sweep_trial (sweep_id, trial_id, position, submission)",
                links,
                (l, row) -> row.add(l.sweepId).add(l.trialId).add(l.position).add(l.submission.label()));
    }

    /**
     * The {@code TrialRequested} outbox rows of a submission's new and re-queued trials, built by PostgreSQL from
     * the trial rows in one statement (the specs are not sent over the wire twice). Pending entity changes are
     * flushed first, so re-queued trials carry their new attempt. Ids come from the entity's sequence in the
     * sweep's order. Returns the number of rows.
     */
    public static int trialRequests(String sweepId, String topic) {
        Panache.getEntityManager().flush();
        int[] inserted = new int[1];
        Panache.getSession().doWork((Connection connection) -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "insert into outbox (id, topic, messageKey, payload, trial_id, createdAt)"
                            + " select nextval('outbox_seq'), ?, r.id, r.payload, r.id, now() from ("
                            + "  select t.id, json_build_object("
                            + "   'sweep_id', t.sweepId, 'trial_id', t.id, 'spec', t.specJson::json,"
                            + "   'dataset_manifest_sha256', t.specJson::json -> 'dataset' ->> 'manifest_sha256',"
                            + "   'attempt', t.attempt, 'eval_fraction', t.evalFraction,"
                            + "   'last_allowed_attempt', t.lastAllowedAttempt)::text as payload"
                            + "  from sweep_trial st join trial t on t.id = st.trial_id"
                            + "  where st.sweep_id = ? and st.submission <> ? order by st.position) r")) {
                ps.setString(1, topic);
                ps.setString(2, sweepId);
                ps.setString(3, SubmissionOutcome.REUSED.label());
                inserted[0] = ps.executeUpdate();
            }
        });
        return inserted[0];
    }

    /** One CSV line: null is an empty unquoted field, everything else is quoted. */
    private static final class Row {
        private final StringBuilder out;
        private boolean first = true;

        Row(StringBuilder out) {
            this.out = out;
        }

        Row add(Object value) {
            if (!first) {
                out.append(',');
            }
            first = false;
            if (value != null) {
                String text = value instanceof Instant instant ? instant.toString() : value.toString();
                out.append('"').append(text.replace("\"", "\"\"")).append('"');
            }
            return this;
        }
    }

    private static <T> void copy(String target, List<T> rows, BiConsumer<T, Row> writer) {
        if (rows.isEmpty()) {
            return;
        }
        Panache.getSession().doWork((Connection connection) -> {
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            String sql = "copy " + target + " from stdin with (format csv)";
            for (int start = 0; start < rows.size(); start += CHUNK) {
                StringBuilder csv = new StringBuilder();
                for (T item : rows.subList(start, Math.min(rows.size(), start + CHUNK))) {
                    writer.accept(item, new Row(csv));
                    csv.append('\n');
                }
                try {
                    copy.copyIn(sql, new StringReader(csv.toString()));
                } catch (java.io.IOException e) {
                    throw new java.sql.SQLException("copy into " + target + " failed", e);
                }
            }
        });
    }
}
