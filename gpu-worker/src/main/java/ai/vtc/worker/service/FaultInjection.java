package ai.vtc.worker.service;

import ai.vtc.contracts.TrialRequested;
import ai.vtc.florence2.train.TrainingSample;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Test-only faults, so that tests can make a real worker process die in the middle of a run or a trial throw a real
 * {@link Error}: a trial whose spec has the seed {@code fault-injection.halt-seed} halts the JVM at its first
 * training step ({@link Runtime#halt}, as a kill -9 or a native crash would: no shutdown hook, no checkpoint, no
 * commit); one with {@code fault-injection.error-seed} overflows the stack there. Honoured only under the
 * {@code test} profile ({@code -Dquarkus.profile=test}); in any other profile the settings are ignored with a warning.
 */
@ApplicationScoped
public class FaultInjection {
    private static final Logger LOG = Logger.getLogger(FaultInjection.class);

    private final Optional<Long> haltSeed;
    private final Optional<Long> errorSeed;

    public FaultInjection(
            @ConfigProperty(name = "fault-injection.halt-seed") Optional<Long> haltSeed,
            @ConfigProperty(name = "fault-injection.error-seed") Optional<Long> errorSeed) {
        boolean honoured = ConfigUtils.isProfileActive("test");
        if (!honoured && (haltSeed.isPresent() || errorSeed.isPresent())) {
            LOG.warn("fault-injection.* is set but ignored: it is honoured under the test profile only");
        }
        this.haltSeed = honoured ? haltSeed : Optional.empty();
        this.errorSeed = honoured ? errorSeed : Optional.empty();
    }

    /** No faults (for the worker's classes built by hand in tests). */
    public static FaultInjection none() {
        return new FaultInjection(Optional.empty(), Optional.empty());
    }

    /** {@code listener}, or one that injects this trial's fault at its first training step. */
    TrialRunner.Listener around(TrialRequested trial, TrialRunner.Listener listener) {
        long seed = trial.spec().seed();
        boolean halt = haltSeed.filter(s -> s == seed).isPresent();
        boolean error = errorSeed.filter(s -> s == seed).isPresent();
        if (!halt && !error) {
            return listener;
        }
        return new TrialRunner.Listener() {
            @Override
            public void progress(String phase, long step, long totalSteps, Double loss, double samplesPerSecond) {
                listener.progress(phase, step, totalSteps, loss, samplesPerSecond);
                if (phase.equals("train") && step >= 1) {
                    if (halt) {
                        LOG.errorf("fault injection: trial %s halts this worker process", trial.trialId());
                        Runtime.getRuntime().halt(137);
                    }
                    LOG.errorf("fault injection: trial %s overflows the stack", trial.trialId());
                    recurse(0);
                }
            }

            @Override
            public void training(double loss, double learningRate) {
                listener.training(loss, learningRate);
            }

            @Override
            public void stepSkipped(long step, double lossScale) {
                listener.stepSkipped(step, lossScale);
            }

            @Override
            public void checkpoint(long step, Path dir) {
                listener.checkpoint(step, dir);
            }

            @Override
            public void samples(long step, List<TrainingSample> now, List<TrainingSample> all) {
                listener.samples(step, now, all);
            }

            @Override
            public StopSignal.Reason stopRequested() {
                return listener.stopRequested();
            }
        };
    }

    private static long recurse(long depth) {
        return recurse(depth + 1) + 1;
    }
}
