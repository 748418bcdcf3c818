package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;
import ai.vtc.florence2.nn.Init;
import ai.vtc.florence2.nn.Linear;
import ai.vtc.florence2.nn.ParameterStore;

/** The position-wise feed-forward of a BART layer: fc1 (D -> F), activation, fc2 (F -> D). [B, T, D] in and out. */
final class FeedForward {

    private final Linear fc1;
    private final Linear fc2;
    private final boolean relu;

    FeedForward(ParameterStore store, String layerPrefix, long dModel, long ffnDim, String activation, double initStd) {
        this.fc1 = new Linear(store, layerPrefix + ".fc1", dModel, ffnDim, true, Init.normal(initStd));
        this.fc2 = new Linear(store, layerPrefix + ".fc2", ffnDim, dModel, true, Init.normal(initStd));
        this.relu = "relu".equals(activation);
    }

    NDArray forward(NDArray x) {
        NDArray h = fc1.forward(x);
        h = relu ? h.getNDArrayInternal().relu() : h.getNDArrayInternal().gelu();
        return fc2.forward(h);
    }
}
