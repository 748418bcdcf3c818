package ai.vtc.scheduler.service;

import ai.vtc.contracts.Json;
import ai.vtc.contracts.SweepExpansion;
import ai.vtc.scheduler.persistence.BulkInserts;
import ai.vtc.scheduler.persistence.SubmissionOutcome;
import ai.vtc.scheduler.persistence.SweepEntity;
import ai.vtc.scheduler.persistence.SweepStatus;
import ai.vtc.scheduler.persistence.SweepTrialEntity;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.scheduler.persistence.TrialStatus;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Accepts sweeps: validates and expands outside any transaction (object storage lookups), then stores the sweep, its
 * trials and their requests in one transaction. A trial that already exists is reused when queued, running or
 * completed, and queued again (next attempt) when it had failed or been cancelled.
 */
@ApplicationScoped
public class SweepService {
    /** An arbitrary constant: the advisory lock that serialises submissions (two may create the same trial). */
    private static final long SUBMIT_LOCK = 0x5745_4550L;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = Logger.getLogger(SweepService.class);

    /** An accepted sweep and what the submission did with each trial, in expansion order. */
    public record Submission(SweepEntity sweep, List<SubmittedTrial> trials) {
        public long count(SubmissionOutcome submission) {
            return trials.stream().filter(t -> t.submission() == submission).count();
        }
    }

    public record SubmittedTrial(TrialEntity trial, SubmissionOutcome submission) {}

    private final SweepValidator validator;
    private final Outbox outbox;
    private final Transactions transactions;

    public SweepService(SweepValidator validator, Outbox outbox, Transactions transactions) {
        this.validator = validator;
        this.outbox = outbox;
        this.transactions = transactions;
    }

    /**
     * Validates, expands and stores a sweep (its YAML as the bytes that arrived); throws {@code
     * InvalidSweepException} before storing anything.
     */
    public Submission submit(byte[] document) {
        long t0 = System.nanoTime();
        SweepValidator.Resolved resolved = validator.resolve(document);
        long t1 = System.nanoTime();
        Submission submission = transactions.withRetry(() -> store(resolved));
        long t2 = System.nanoTime();
        LOG.infof(
                "sweep %s '%s' accepted: %d trials (%d new, %d queued again, %d reused); "
                        + "validate + expand %d ms, store %d ms",
                submission.sweep().id,
                submission.sweep().name,
                submission.trials().size(),
                submission.count(SubmissionOutcome.NEW),
                submission.count(SubmissionOutcome.REQUEUED),
                submission.count(SubmissionOutcome.REUSED),
                (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000);
        return submission;
    }

    private Submission store(SweepValidator.Resolved resolved) {
        Panache.getEntityManager()
                .createNativeQuery("select count(*) from (select pg_advisory_xact_lock(:key)) locked")
                .setParameter("key", SUBMIT_LOCK)
                .getSingleResult();
        Instant now = Instant.now();
        SweepEntity sweep = new SweepEntity();
        sweep.id = "s-" + HexFormat.of().formatHex(randomBytes());
        sweep.name = resolved.spec().name();
        sweep.specYaml = resolved.yaml();
        sweep.specJson = Json.write(resolved.spec());
        sweep.status = SweepStatus.RUNNING;
        sweep.manifestSha256 = resolved.manifestSha256();
        sweep.maxFailedTrials = resolved.spec().limits().maxFailedTrials();
        sweep.maxAttemptsPerTrial = resolved.spec().limits().maxAttemptsPerTrial();
        sweep.createdAt = now;
        sweep.updatedAt = now;
        sweep.persist();

        List<String> ids =
                resolved.trials().stream().map(SweepExpansion.Trial::id).toList();
        Map<String, TrialEntity> existing = TrialEntity.lockAll(BulkInserts.existingTrials(ids)).stream()
                .collect(Collectors.toMap(t -> t.id, Function.identity()));
        List<SubmittedTrial> submitted = new ArrayList<>(resolved.trials().size());
        List<TrialEntity> created = new ArrayList<>();
        List<SweepTrialEntity> links = new ArrayList<>(resolved.trials().size());
        int position = 0;
        for (SweepExpansion.Trial expanded : resolved.trials()) {
            TrialEntity trial = existing.get(expanded.id());
            SubmissionOutcome submission;
            if (trial == null) {
                trial = TrialEntity.queued(
                        expanded.id(),
                        expanded.spec(),
                        expanded.canonicalJson(),
                        resolved.model(),
                        sweep.id,
                        sweep.maxAttemptsPerTrial,
                        now);
                created.add(trial);
                submission = SubmissionOutcome.NEW;
            } else if (trial.status == TrialStatus.FAILED || trial.status == TrialStatus.CANCELLED) {
                trial.requeue(sweep.id, sweep.maxAttemptsPerTrial, now);
                submission = SubmissionOutcome.REQUEUED;
            } else {
                submission = SubmissionOutcome.REUSED;
            }
            links.add(SweepTrialEntity.of(sweep.id, trial.id, position++, submission));
            submitted.add(new SubmittedTrial(trial, submission));
        }
        // new rows skip the persistence context (COPY); re-queued ones are managed and flushed before the requests
        BulkInserts.trials(created);
        BulkInserts.links(links);
        outbox.trialsRequestedBy(sweep.id);
        return new Submission(sweep, submitted);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
