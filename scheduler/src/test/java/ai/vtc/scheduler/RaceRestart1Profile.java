package ai.vtc.scheduler;

import io.quarkus.test.junit.QuarkusTestProfile;

/** A scheduler of its own for the first half of the race's restart test (profiles run in name order). */
public class RaceRestart1Profile implements QuarkusTestProfile {}
