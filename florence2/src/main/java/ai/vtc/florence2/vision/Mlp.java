package ai.vtc.florence2.vision;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.Linear;
import ai.vtc.florence2.nn.ParameterStore;

/** DaViT MLP ({@code ffn.fn.net}): fc1 (C -> 4C), exact GELU, fc2 (4C -> C). Tokens [B, N, C]. */
public final class Mlp {

    private final Linear fc1;
    private final Linear fc2;

    public Mlp(ParameterStore store, String prefix, long dim, long hidden) {
        this.fc1 = new Linear(store, prefix + ".fc1", dim, hidden, true, Init.truncatedNormal(0.02));
        this.fc2 = new Linear(store, prefix + ".fc2", hidden, dim, true, Init.truncatedNormal(0.02));
    }

    public NDArray forward(NDArray x) {
        return fc2.forward(fc1.forward(x).getNDArrayInternal().gelu());
    }
}
