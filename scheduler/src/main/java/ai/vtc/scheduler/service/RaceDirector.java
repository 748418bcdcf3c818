package ai.vtc.scheduler.service;

import ai.vtc.contracts.Compression;
import ai.vtc.contracts.EvaluationEvent;
import ai.vtc.contracts.Json;
import ai.vtc.contracts.SearchSettings;
import ai.vtc.scheduler.persistence.EventOutcome;
import ai.vtc.scheduler.persistence.RaceDecisionEntity;
import ai.vtc.scheduler.persistence.RaceEntity;
import ai.vtc.scheduler.persistence.RaceEntrantEntity;
import ai.vtc.scheduler.persistence.RaceEntrantEntity.State;
import ai.vtc.scheduler.persistence.SubmissionOutcome;
import ai.vtc.scheduler.persistence.SweepEntity;
import ai.vtc.scheduler.persistence.SweepStatus;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.scheduler.persistence.TrialStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Drives the Pareto races ({@code search: {strategy: pareto_race}}) from the evaluations of their rungs. Rungs are
 * synchronous: every entrant of a rung is evaluated on the same prefix of the evaluation set, then the rung is decided
 * at once ({@link RungDecision}), the dominated trials stop and the others are requested for the next share. The state
 * is in PostgreSQL and changes in the transaction of the evaluation that completes a rung, together with the
 * decisions and the next requests (outbox), under the race's row lock: a redelivered evaluation finds its entrant
 * evaluated already, and a restarted scheduler continues from the stored rung. Nothing is decided twice and nothing
 * decided is lost.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RaceDirector {
    private static final Logger LOG = Logger.getLogger(RaceDirector.class);
    private static final double SAME_FRACTION = 1e-9;

    private final Outbox outbox;

    public RaceDirector(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Enters a submitted sweep's trials in its race, before their requests are written: new and re-queued trials are
     * requested for the first rung's share; a completed trial that the sweep reuses is asked for its rung too (the
     * worker answers from its stored predictions); one still active for another sweep stays outside. Under a grid,
     * every request is for the whole set.
     */
    public void enter(SweepEntity sweep, SearchSettings search, List<SweepService.SubmittedTrial> trials) {
        if (!search.isRace()) {
            trials.stream()
                    .filter(t -> t.submission() != SubmissionOutcome.REUSED)
                    .forEach(t -> t.trial().evalFraction = null);
            return;
        }
        Instant now = Instant.now();
        RaceEntity race = new RaceEntity();
        race.sweepId = sweep.id;
        race.rung = 0;
        race.fractions = search.fractions().stream().map(String::valueOf).collect(Collectors.joining(","));
        race.confidence = search.confidence();
        race.createdAt = now;
        race.updatedAt = now;
        race.persist();
        double first = search.fraction(0);
        for (SweepService.SubmittedTrial submitted : trials) {
            TrialEntity trial = submitted.trial();
            boolean outside = submitted.submission() == SubmissionOutcome.REUSED && trial.status.isActive();
            RaceEntrantEntity entrant = RaceEntrantEntity.of(
                    sweep.id, trial.id, trial.visualTokens, outside ? State.OUTSIDE : State.RACING);
            entrant.persist();
            if (!outside) {
                trial.evalFraction = first;
                if (submitted.submission() == SubmissionOutcome.REUSED) {
                    outbox.rungRequested(trial, sweep.id);
                }
            }
        }
    }

    /**
     * Records a rung's evaluation and, when it completes the rung, decides it. An evaluation that is not awaited (a
     * redelivery, a rung already decided, a race this scheduler does not know) changes nothing.
     */
    public EventOutcome apply(EvaluationEvent.Completed evaluated) {
        RaceEntity race = RaceEntity.lock(evaluated.sweepId());
        RaceEntrantEntity entrant = race == null
                ? null
                : RaceEntrantEntity.findById(RaceEntrantEntity.key(race.sweepId, evaluated.trialId()));
        if (entrant == null) {
            return EventOutcome.UNKNOWN;
        }
        int rung = rungOf(race, evaluated.evalFraction());
        if (rung < 0 || evaluated.questionScores() == null) {
            return EventOutcome.IGNORED; // not a rung of this race
        }
        if (entrant.state != State.RACING || entrant.rung != rung) {
            return EventOutcome.DUPLICATE; // evaluated (and perhaps decided) before
        }
        entrant.state = State.EVALUATED;
        entrant.accuracy = evaluated.overall();
        entrant.questions = evaluated.questions();
        entrant.scoresJson = Json.write(evaluated.questionScores());
        entrant.updatedAt = Instant.now();
        decideWhenComplete(race);
        return EventOutcome.APPLIED;
    }

    /**
     * A trial's state changed on a worker's event: when it left a race for good (failed or cancelled), the rung it
     * held up may be complete now.
     */
    public void trialChanged(String trialId) {
        for (RaceEntrantEntity entrant : RaceEntrantEntity.racing(trialId)) {
            RaceEntity race = RaceEntity.lock(entrant.sweepId);
            if (race != null) {
                decideWhenComplete(race);
            }
        }
    }

    private void decideWhenComplete(RaceEntity race) {
        SweepEntity sweep = SweepEntity.findById(race.sweepId);
        if (sweep == null || sweep.status != SweepStatus.RUNNING) {
            return;
        }
        List<RaceEntrantEntity> atRung = RaceEntrantEntity.ofSweep(race.sweepId).stream()
                .filter(e -> e.rung == race.rung && (e.state == State.RACING || e.state == State.EVALUATED))
                .toList();
        Map<String, TrialEntity> trials = TrialEntity.lockAll(
                        atRung.stream().map(e -> e.trialId).toList())
                .stream()
                .collect(Collectors.toMap(t -> t.id, Function.identity()));
        boolean waiting = atRung.stream()
                .anyMatch(e ->
                        e.state == State.RACING && trials.get(e.trialId).status.isActive());
        List<RaceEntrantEntity> evaluated =
                atRung.stream().filter(e -> e.state == State.EVALUATED).toList();
        if (waiting || evaluated.isEmpty()) {
            return;
        }
        decide(race, evaluated, trials);
    }

    private void decide(RaceEntity race, List<RaceEntrantEntity> evaluated, Map<String, TrialEntity> trials) {
        List<Double> fractions = fractions(race);
        double fraction = fractions.get(race.rung);
        List<RungDecision.Entrant> judged = evaluated.stream()
                .filter(e -> e.visualTokens != null) // without a cost, a trial can neither be beaten nor beat
                .map(e -> new RungDecision.Entrant(
                        e.trialId, e.visualTokens, scores(e), Compression.NONE.equals(trials.get(e.trialId).mode)))
                .toList();
        Map<String, RungDecision.Verdict> verdicts = RungDecision.decide(judged, race.confidence).stream()
                .collect(Collectors.toMap(RungDecision.Verdict::trialId, Function.identity()));
        Instant now = Instant.now();
        int next = race.rung + 1;
        boolean last = next == fractions.size() - 1;
        int stopped = 0;
        for (RaceEntrantEntity entrant : evaluated) {
            RungDecision.Verdict verdict =
                    verdicts.getOrDefault(entrant.trialId, new RungDecision.Verdict(entrant.trialId, null, null));
            record(race, fraction, entrant, verdict, now);
            TrialEntity trial = trials.get(entrant.trialId);
            entrant.updatedAt = now;
            if (verdict.stopped()) {
                stopped++;
                entrant.state = State.STOPPED;
                stop(race, trial, verdict, now);
                continue;
            }
            entrant.rung = next;
            entrant.scoresJson = null; // the next rung's evidence replaces it
            if (last && trial.status == TrialStatus.COMPLETED && trial.evaluatedQuestions != null) {
                entrant.state = State.FINAL; // reused with its whole result already known
                continue;
            }
            entrant.state = last ? State.FINAL : State.RACING;
            trial.evalFraction = last ? null : fractions.get(next);
            outbox.rungRequested(trial, race.sweepId);
        }
        race.rung = next;
        race.updatedAt = now;
        LOG.infof(
                "race of sweep %s: rung %d (%.3g of the evaluation set) decided, %d of %d trials stopped",
                race.sweepId, next - 1, fraction, stopped, evaluated.size());
    }

    private static void record(
            RaceEntity race, double fraction, RaceEntrantEntity entrant, RungDecision.Verdict verdict, Instant now) {
        String id = RaceDecisionEntity.key(race.sweepId, race.rung, entrant.trialId);
        if (RaceDecisionEntity.findById(id) != null) {
            return; // decided before; the race's lock makes this unreachable, the key makes it harmless
        }
        RaceDecisionEntity decision = new RaceDecisionEntity();
        decision.id = id;
        decision.sweepId = race.sweepId;
        decision.rung = race.rung;
        decision.fraction = fraction;
        decision.questions = entrant.questions == null ? 0 : entrant.questions;
        decision.trialId = entrant.trialId;
        decision.accuracy = entrant.accuracy;
        decision.visualTokens = entrant.visualTokens;
        decision.confidence = race.confidence;
        decision.outcome = verdict.stopped() ? RaceDecisionEntity.STOPPED : RaceDecisionEntity.PROMOTED;
        if (verdict.stopped()) {
            decision.dominatedBy = verdict.dominatedBy();
            decision.difference = verdict.difference().estimate();
            decision.lower = verdict.difference().lower();
            decision.upper = verdict.difference().upper();
        }
        decision.decidedAt = now;
        decision.persist();
    }

    /** A stopped trial answers no further question: it ends cancelled, with the race's reason. */
    private static void stop(RaceEntity race, TrialEntity trial, RungDecision.Verdict verdict, Instant now) {
        if (!trial.status.isActive()) {
            return;
        }
        trial.status = TrialStatus.CANCELLED;
        trial.failureReason = String.format(
                "stopped by the Pareto race of sweep %s at rung %d: %s is cheaper or equal and better by %.2f points"
                        + " (%.0f%% interval %.2f to %.2f)",
                race.sweepId,
                race.rung,
                verdict.dominatedBy(),
                verdict.difference().estimate(),
                race.confidence * 100,
                verdict.difference().lower(),
                verdict.difference().upper());
        trial.finishedAt = now;
        trial.updatedAt = now;
    }

    /** The index of {@code fraction} among the race's fractions; -1 when it is none of them. */
    private static int rungOf(RaceEntity race, Double fraction) {
        List<Double> fractions = fractions(race);
        for (int i = 0; fraction != null && i < fractions.size(); i++) {
            if (Math.abs(fractions.get(i) - fraction) < SAME_FRACTION) {
                return i;
            }
        }
        return -1;
    }

    public static List<Double> fractions(RaceEntity race) {
        return Arrays.stream(race.fractions.split(",")).map(Double::valueOf).toList();
    }

    private static double[] scores(RaceEntrantEntity entrant) {
        return Json.read(entrant.scoresJson, double[].class);
    }
}
