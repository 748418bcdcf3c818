package ai.vtc.dataset.service;

import ai.vtc.dataset.config.DatasetConfig;
import ai.vtc.storage.Keys;
import ai.vtc.storage.ObjectStore;
import ai.vtc.vqa.VqaQuestions;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The questions of published splits, read from object storage and kept for the most recently used ones (a published
 * dataset never changes, so nothing goes stale).
 */
@ApplicationScoped
public class SplitQuestions {
    private final ObjectStore store;
    private final Map<String, VqaQuestions> cache;

    public SplitQuestions(ObjectStore store, DatasetConfig config) {
        this.store = store;
        int capacity = Math.max(1, config.cachedSplits());
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VqaQuestions> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized VqaQuestions get(String dataset, String split) {
        String key = Keys.questions(dataset, split);
        VqaQuestions questions = cache.get(key);
        if (questions == null) {
            try (InputStream in = store.open(key)) {
                questions = VqaQuestions.read(in, store.uri(key));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + store.uri(key) + ": " + e.getMessage(), e);
            }
            cache.put(key, questions);
        }
        return questions;
    }
}
