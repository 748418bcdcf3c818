package ai.vtc.florence2.language;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Key/value cache of the decoder for incremental generation. Per layer: self-attention keys/values of all decoded
 * tokens [B, H, t, d] (grown each step) and cross-attention keys/values of the encoder output [B, H, S, d] (computed
 * at the first step). Cached arrays are taken out of the caller's {@link NDScope} and owned by {@code manager};
 * replaced arrays are closed at once, so a step leaves exactly one copy of the cache behind.
 */
public final class DecoderCache implements AutoCloseable {

    private final NDManager manager;
    private final LayerCache[] layers;
    private long length;

    public DecoderCache(NDManager manager, int numLayers) {
        this.manager = manager;
        this.layers = new LayerCache[numLayers];
        for (int i = 0; i < numLayers; i++) {
            layers[i] = new LayerCache();
        }
    }

    /** Number of decoder tokens already in the cache (the position offset of the next token). */
    public long length() {
        return length;
    }

    LayerCache layer(int i) {
        return layers[i];
    }

    void advance(long tokens) {
        length += tokens;
    }

    /** Keeps only the given rows (beam search: row r of the new cache is row {@code rows[r]} of the old one). */
    public void reorder(NDArray rows) {
        for (LayerCache layer : layers) {
            if (layer.self != null) {
                KeyValue old = layer.self;
                layer.self = keep(new KeyValue(old.key().get(rows), old.value().get(rows)));
                close(old);
            }
        }
    }

    private KeyValue keep(KeyValue kv) {
        for (NDArray a : new NDArray[] {kv.key(), kv.value()}) {
            NDScope.unregister(a);
            a.attach(manager);
        }
        return kv;
    }

    private static void close(KeyValue kv) {
        kv.key().close();
        kv.value().close();
    }

    @Override
    public void close() {
        for (LayerCache layer : layers) {
            if (layer.self != null) {
                close(layer.self);
                layer.self = null;
            }
            if (layer.cross != null) {
                close(layer.cross);
                layer.cross = null;
            }
        }
    }

    /** The cache of one decoder layer. */
    public final class LayerCache {
        private KeyValue self;
        private KeyValue cross;

        /** Appends the new tokens' keys/values and returns those of all tokens so far. */
        KeyValue appendSelf(KeyValue fresh) {
            KeyValue old = self;
            KeyValue all = old == null
                    ? fresh
                    : new KeyValue(old.key().concat(fresh.key(), 2), old.value().concat(fresh.value(), 2));
            self = keep(all);
            if (old != null) {
                close(old);
            }
            return all;
        }

        /** The cross-attention keys/values, computed by {@code compute} the first time. */
        KeyValue cross(Supplier<KeyValue> compute) {
            if (cross == null) {
                cross = keep(compute.get());
            }
            return cross;
        }
    }
}
