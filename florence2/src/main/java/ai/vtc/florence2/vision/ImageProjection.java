package ai.vtc.florence2.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.vtc.florence2.Florence2VisionConfig;
import ai.vtc.florence2.nn.Autocast;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.LayerNorm;
import ai.vtc.florence2.nn.Param;
import ai.vtc.florence2.nn.ParameterStore;
import ai.vtc.florence2.nn.Trace;
import java.util.List;

/**
 * From DaViT's last stage to the language model's image tokens (Florence-2's {@code _encode_image} after the tower):
 * add the 2D position embedding and the temporal embedding, build the feature sources (by default the spatial mean
 * token followed by the grid tokens), multiply by {@code image_projection} (stored [C, D], used as x @ W) and apply
 * {@code image_proj_norm}. Letters: B batch, T frames (1), h/w grid, C vision channels, D d_model.
 */
public final class ImageProjection {

    private final LearnedAbsolutePositionEmbedding2D imagePosEmbed;
    private final PositionalEmbeddingCosine1D visualTemporalEmbed;
    private final Param imageProjection;
    private final LayerNorm imageProjNorm;
    private final List<String> featureSources;

    public ImageProjection(ParameterStore store, Florence2VisionConfig config) {
        long dim = config.outDim();
        this.imageProjection =
                store.declare("image_projection", new Shape(dim, config.projectionDim()), Init.truncatedNormal(0.02));
        this.imageProjNorm = new LayerNorm(store, "image_proj_norm", config.projectionDim());
        this.imagePosEmbed =
                new LearnedAbsolutePositionEmbedding2D(store, "image_pos_embed", dim, config.maxPosEmbeddings());
        this.visualTemporalEmbed =
                new PositionalEmbeddingCosine1D(store, "visual_temporal_embed", dim, config.maxTemporalEmbeddings());
        this.featureSources = config.imageFeatureSource();
    }

    /** last-stage tokens [B, h*w, C] -> image features [B, 1 + h*w, D] (for the default feature sources) */
    public NDArray forward(FeatureMap features, Trace trace) {
        long b = features.batch();
        long h = features.height();
        long w = features.width();
        long c = features.channels();
        if (h != w) {
            throw new IllegalArgumentException("only square feature maps are supported, got " + h + "x" + w);
        }
        NDArray pos = imagePosEmbed.forward(h, w); // [1, h, w, C]
        if (trace.enabled()) {
            trace.record("vision_image_pos_embed", pos.broadcast(new Shape(b, h, w, c)));
        }
        NDArray x = features.tokens().reshape(b, h, w, c).add(pos).reshape(b, h * w, c);
        NDArray temporal = visualTemporalEmbed.forward(1); // [1, T, C]
        trace.record("vision_temporal_embed", temporal);
        x = x.add(temporal); // [B, h*w, C] + [1, 1, C]

        NDList parts = new NDList();
        for (String source : featureSources) {
            switch (source) {
                case "spatial_avg_pool" -> parts.add(x.mean(new int[] {1}, true)); // [B, 1, C]
                case "temporal_avg_pool", "last_frame" -> parts.add(x); // T = 1: mean over frames = the frame
                default -> throw new IllegalStateException("unknown image_feature_source " + source);
            }
        }
        NDArray pooled = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 1); // [B, 1 + h*w, C]
        return imageProjNorm.forward(Autocast.matMul(pooled, imageProjection.array())); // [B, 1 + h*w, D]
    }
}
