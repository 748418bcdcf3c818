package ai.vtc.scheduler;

import java.time.Duration;

/** Retries an assertion until it holds or the time is up (state changes arrive through Kafka). */
final class Eventually {
    private Eventually() {}

    static void assertThat(Duration timeout, Runnable assertion) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static void assertThat(Runnable assertion) {
        assertThat(Duration.ofSeconds(20), assertion);
    }
}
