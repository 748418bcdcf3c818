package ai.vtc.scheduler.rest;

import ai.vtc.scheduler.persistence.RaceDecisionEntity;
import ai.vtc.scheduler.persistence.RaceEntity;
import ai.vtc.scheduler.persistence.RaceEntrantEntity;
import ai.vtc.scheduler.persistence.TrialEntity;
import ai.vtc.scheduler.service.RaceDirector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A sweep's Pareto race as the status command and the results page show it: the rungs, where the entrants stand, the
 * questions the race had answered against those the whole grid would answer, and every decision with its evidence.
 *
 * @param rung the rung being evaluated (0-based); the last one when the survivors answer the whole set
 * @param entrants trials per state ({@code racing}, {@code evaluated}, {@code stopped}, {@code final}, {@code outside})
 * @param evaluatedQuestions questions answered for the race: per trial, the longest prefix it answered (a worker
 *     reuses a shorter prefix's answers), summed
 * @param gridQuestions what the grid would answer (trials x the evaluation set); null until a whole set was scored
 * @param decisions in rung order, stops first
 */
public record RaceView(
        String sweepId,
        List<Double> fractions,
        double confidence,
        int rung,
        Map<String, Long> entrants,
        long evaluatedQuestions,
        Long gridQuestions,
        List<Decision> decisions) {

    /**
     * One decision: at {@code rung} ({@code questions} questions, {@code fraction} of the set), {@code trialId} with
     * {@code accuracy} either went on ({@code promoted}) or was {@code stopped} because {@code dominatedBy} costs no
     * more and was better by {@code difference} points with the paired interval {@code lower} to {@code upper}.
     */
    public record Decision(
            int rung,
            double fraction,
            int questions,
            String trialId,
            String setting,
            String training,
            Integer visualTokens,
            Double accuracy,
            String outcome,
            String dominatedBy,
            String dominatedBySetting,
            Double difference,
            Double lower,
            Double upper,
            double confidence) {}

    static RaceView of(RaceEntity race) {
        List<RaceEntrantEntity> entrants = RaceEntrantEntity.ofSweep(race.sweepId);
        Map<String, TrialEntity> trials =
                TrialEntity.ofSweep(race.sweepId).stream().collect(Collectors.toMap(t -> t.id, Function.identity()));
        Map<String, Long> states = new LinkedHashMap<>();
        for (RaceEntrantEntity.State state : RaceEntrantEntity.State.values()) {
            states.put(
                    state.name().toLowerCase(java.util.Locale.ROOT),
                    entrants.stream().filter(e -> e.state == state).count());
        }
        long evaluated = entrants.stream()
                .mapToLong(e -> answered(e, trials.get(e.trialId)))
                .sum();
        Integer whole = trials.values().stream()
                .map(t -> t.evaluatedQuestions)
                .filter(Objects::nonNull)
                .max(Integer::compare)
                .orElse(null);
        List<Decision> decisions = RaceDecisionEntity.ofSweep(race.sweepId).stream()
                .map(d -> decision(d, trials))
                .toList();
        return new RaceView(
                race.sweepId,
                RaceDirector.fractions(race),
                race.confidence,
                race.rung,
                states,
                evaluated,
                whole == null ? null : (long) whole * entrants.size(),
                decisions);
    }

    /** The longest prefix the trial answered for this race: its whole set once it has a result there. */
    private static long answered(RaceEntrantEntity entrant, TrialEntity trial) {
        boolean whole =
                entrant.state == RaceEntrantEntity.State.FINAL || entrant.state == RaceEntrantEntity.State.OUTSIDE;
        if (whole && trial != null && trial.evaluatedQuestions != null) {
            return trial.evaluatedQuestions;
        }
        return entrant.questions == null ? 0 : entrant.questions;
    }

    private static Decision decision(RaceDecisionEntity d, Map<String, TrialEntity> trials) {
        TrialEntity trial = trials.get(d.trialId);
        TrialEntity dominator = d.dominatedBy == null ? null : trials.get(d.dominatedBy);
        return new Decision(
                d.rung,
                d.fraction,
                d.questions,
                d.trialId,
                trial == null ? null : trial.compression().label(),
                trial == null ? null : trial.training().id(),
                d.visualTokens,
                d.accuracy,
                d.outcome,
                d.dominatedBy,
                dominator == null
                        ? null
                        : dominator.compression().label() + " ("
                                + dominator.training().id() + ")",
                d.difference,
                d.lower,
                d.upper,
                d.confidence);
    }
}
