package ai.vtc.scheduler;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The normal scheduler, as a profile of its own so that Quarkus starts it afresh right after
 * {@link Restart1RelayOffProfile} (profiles run in name order): the restart of the crashed scheduler.
 */
public class Restart2RelayOnProfile implements QuarkusTestProfile {}
