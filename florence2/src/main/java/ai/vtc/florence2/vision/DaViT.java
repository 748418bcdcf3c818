package ai.vtc.florence2.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.vtc.florence2.Florence2VisionConfig;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.nn.Trace;
import java.util.ArrayList;
import java.util.List;

/**
 * The DaViT vision tower ({@code vision_tower}): per stage a {@link ConvEmbed} then {@code depths[i]} pairs of
 * {@link SpatialBlock} and {@link ChannelBlock}. The classification head and final norm of DaViT are not part of
 * Florence-2. Pixels [B, 3, H, W] in, last-stage tokens [B, h*w, C] out.
 */
public final class DaViT {

    private final List<ConvEmbed> convs = new ArrayList<>();
    private final List<List<Object>> blocks = new ArrayList<>();

    public DaViT(ParameterStore store, String prefix, Florence2VisionConfig config) {
        for (int i = 0; i < config.numStages(); i++) {
            long dim = config.dimEmbed().get(i);
            long in = i == 0 ? 3 : config.dimEmbed().get(i - 1);
            convs.add(new ConvEmbed(
                    store,
                    prefix + ".convs." + i,
                    in,
                    dim,
                    config.patchSize().get(i),
                    config.patchStride().get(i),
                    config.patchPadding().get(i),
                    config.patchPrenorm().get(i)));
            List<Object> stage = new ArrayList<>();
            for (int j = 0; j < config.depths().get(i); j++) {
                String block = prefix + ".blocks." + i + "." + j;
                stage.add(new SpatialBlock(
                        store, block + ".spatial_block", dim, config.numHeads().get(i), config.windowSize()));
                stage.add(new ChannelBlock(
                        store, block + ".channel_block", dim, config.numGroups().get(i)));
            }
            blocks.add(stage);
        }
    }

    /** pixels [B, 3, H, W] -> last-stage tokens [B, h*w, C] with their grid size */
    public FeatureMap forward(NDArray pixels, Trace trace) {
        FeatureMap x = null;
        for (int i = 0; i < convs.size(); i++) {
            x = i == 0 ? convs.get(i).forwardPixels(pixels) : convs.get(i).forward(x);
            trace.record("vision_conv" + i + "_out", x.tokens());
            for (Object block : blocks.get(i)) {
                x = scoped(x, block);
            }
            trace.record("vision_stage" + i + "_out", x.tokens());
        }
        return x;
    }

    /**
     * One block. Without autograd (inference) its intermediates are freed when it ends: a block's input is moved to a
     * sub-manager for the call, so every array the block makes lands there, and only the output is kept. Otherwise
     * the whole pass's intermediates would live until its caller's manager closes (a Florence-2-base forward at
     * batch 4 peaked at about 16 GB). With autograd on, the backward pass needs them, so nothing is freed early.
     */
    private static FeatureMap scoped(FeatureMap x, Object block) {
        if (JniUtils.isGradMode()) {
            return run(x, block);
        }
        NDManager owner = x.tokens().getManager();
        try (NDManager scope = owner.newSubManager()) {
            x.tokens().tempAttach(scope);
            FeatureMap out = run(x, block);
            out.tokens().attach(owner);
            return out;
        }
    }

    private static FeatureMap run(FeatureMap x, Object block) {
        return block instanceof SpatialBlock s ? s.forward(x) : ((ChannelBlock) block).forward(x);
    }
}
