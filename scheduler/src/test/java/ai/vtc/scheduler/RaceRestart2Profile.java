package ai.vtc.scheduler;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The restarted scheduler of the race's restart test: Quarkus starts it afresh after {@link RaceRestart1Profile}. */
public class RaceRestart2Profile implements QuarkusTestProfile {}
