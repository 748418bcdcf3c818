package ai.vtc.florence2.generate;

import ai.vtc.florence2.language.EncoderOutput;

/**
 * Hears the phases of one {@link Generator} call, so that a caller can time them (the prefill and every cached decoder
 * step) on the device the model runs on. Each call comes when the phase's results are complete on the device: the
 * generator reads one value of the encoder output before {@link #encoded} (on CUDA that waits for the queued kernels)
 * and calls {@link #stepped} once the step's scores are on the host. Without a listener generation does neither.
 */
public interface GenerationListener {

    /** The call starts: the pixels and prompt ids are on the device, nothing has run yet. */
    default void started() {}

    /**
     * The vision tower, the image projection and the language encoder (with any compression) are done.
     *
     * @param encoder the encoder output [B, L', D] the decoder will cross-attend to (L' = visual tokens kept + text
     *     tokens), before any expansion to beams
     */
    default void encoded(EncoderOutput encoder) {}

    /**
     * A cached decoder step is done and its scores are on the host (one step for every row: batch x beams).
     *
     * @param step 1 for the first generated token, then 2, 3, ...
     */
    default void stepped(int step) {}
}
