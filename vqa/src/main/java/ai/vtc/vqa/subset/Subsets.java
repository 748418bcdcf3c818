package ai.vtc.vqa.subset;

import ai.vtc.contracts.SubsetManifest;
import ai.vtc.vqa.VqaQuestions;
import ai.vtc.vqa.internal.LongIndex;
import ai.vtc.vqa.internal.LongList;
import ai.vtc.vqa.internal.SplitMix64;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Deterministic nested subsets. A split's units (questions, or images) are put in a seeded order and a subset is a
 * prefix of that order, so for one seed the 1% subset is contained in the 5% one and that in the 10% one.
 *
 * <p>The order sorts the ids by {@code SplitMix64.mix(id ^ SplitMix64.mix(seed + 0x9E3779B97F4A7C15L))} (unsigned),
 * a bijection of the id:
 * it depends only on the seed and the set of ids, not on file order, JVM version or platform.
 */
public final class Subsets {
    private Subsets() {}

    /** The sort key of an id under {@code seed}; distinct ids have distinct keys. */
    public static long sortKey(long seed, long id) {
        return SplitMix64.mix(id ^ SplitMix64.mix(seed + 0x9E3779B97F4A7C15L));
    }

    /** {@code ids} (not modified) in the seeded order. */
    public static long[] order(long seed, long[] ids) {
        long[][] keyed = new long[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            keyed[i] = new long[] {sortKey(seed, ids[i]), ids[i]};
        }
        Arrays.sort(keyed, (a, b) -> Long.compareUnsigned(a[0], b[0]));
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = keyed[i][1];
        }
        return out;
    }

    /**
     * The question ids of one subset of a split, ascending. By {@link Selection#QUESTION} the size applies to the
     * questions; by {@link Selection#IMAGE} to the distinct images, and every question of a chosen image is in.
     */
    public static long[] select(VqaQuestions split, long seed, Selection by, SubsetSize size) {
        long[] ids;
        if (by == Selection.QUESTION) {
            long[] ordered = order(seed, split.questionIds());
            ids = Arrays.copyOf(ordered, size.of(ordered.length));
        } else {
            long[] images = order(seed, distinctImages(split));
            int k = size.of(images.length);
            LongIndex chosen = new LongIndex(k);
            for (int i = 0; i < k; i++) {
                chosen.putIfAbsent(images[i], i);
            }
            LongList picked = new LongList(k * 6);
            for (int q = 0; q < split.size(); q++) {
                if (chosen.get(split.imageId(q)) >= 0) {
                    picked.add(split.questionId(q));
                }
            }
            ids = picked.toArray();
        }
        Arrays.sort(ids);
        return ids;
    }

    /**
     * One manifest over several splits (e.g. {@code train} and {@code val}), each split sampled on its own, sealed
     * with its sha256. Every subset of the project is made here: the {@code vqa subset} command and the dataset
     * service call it, so one subset has one JSON and one hash.
     */
    public static SubsetManifest manifest(
            String dataset, String name, long seed, Selection by, SubsetSize size, Map<String, VqaQuestions> splits) {
        Map<String, List<Long>> ids = new TreeMap<>();
        splits.forEach((splitName, questions) -> ids.put(
                splitName,
                Arrays.stream(select(questions, seed, by, size)).boxed().toList()));
        String selection = by == Selection.IMAGE ? SubsetManifest.IMAGE_SELECTION : null;
        return new SubsetManifest(dataset, name, seed, size.fraction(), size.count(), selection, ids, null).seal();
    }

    /**
     * Nested manifests named {@link SubsetSize#defaultName()} ({@code 1pct}, {@code 5pct}, ...); each is contained
     * in every larger one of the same seed and selection.
     */
    public static List<SubsetManifest> nested(
            String dataset, long seed, Selection by, Map<String, VqaQuestions> splits, List<SubsetSize> sizes) {
        List<SubsetManifest> out = new ArrayList<>();
        for (SubsetSize size : sizes) {
            out.add(manifest(dataset, size.defaultName(), seed, by, size, splits));
        }
        return out;
    }

    private static long[] distinctImages(VqaQuestions split) {
        LongIndex seen = new LongIndex(split.size() / 4);
        LongList images = new LongList(split.size() / 4);
        for (int q = 0; q < split.size(); q++) {
            if (seen.putIfAbsent(split.imageId(q), images.size()) < 0) {
                images.add(split.imageId(q));
            }
        }
        return images.toArray();
    }
}
