package ai.vtc.dataset.service;

import ai.vtc.contracts.DatasetManifest;
import ai.vtc.contracts.SubsetManifest;
import ai.vtc.storage.Keys;
import ai.vtc.vqa.VqaQuestions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotFoundException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a worker needs to stream a split or one split of a subset: its questions with the object key of each image,
 * in pages. With a subset, questions come in the manifest's (ascending id) order; without, in file order.
 */
@ApplicationScoped
public class QuestionPages {
    private final DatasetCatalog catalog;
    private final SubsetService subsets;
    private final SplitQuestions questions;

    public QuestionPages(DatasetCatalog catalog, SubsetService subsets, SplitQuestions questions) {
        this.catalog = catalog;
        this.subsets = subsets;
        this.questions = questions;
    }

    /** One question and the key of its image. */
    public record Item(long questionId, long imageId, String question, String imageKey) {}

    /**
     * A page.
     *
     * @param subsetSha256 the subset manifest's hash, null without a subset
     * @param total questions in the split (or in the subset's part of it)
     * @param nextOffset the offset of the next page, null on the last one
     */
    public record Page(
            String dataset,
            String split,
            String subset,
            String subsetSha256,
            long total,
            int offset,
            int limit,
            Integer nextOffset,
            List<Item> questions) {}

    public Page page(String dataset, String split, String subset, int offset, int limit) {
        DatasetManifest manifest = catalog.manifest(dataset);
        DatasetManifest.Split info = manifest.splits().get(split);
        if (info == null) {
            throw new NotFoundException("dataset '" + dataset + "' has no split '" + split + "' (has "
                    + manifest.splits().keySet() + ")");
        }
        VqaQuestions all = questions.get(dataset, split);
        List<Long> ids = null;
        String sha256 = null;
        if (subset != null) {
            SubsetManifest m = subsets.manifest(dataset, subset);
            ids = m.questionIds().get(split);
            if (ids == null) {
                throw new NotFoundException("subset '" + subset + "' has no split '" + split + "'");
            }
            sha256 = m.sha256();
        }
        int total = ids != null ? ids.size() : all.size();
        int from = Math.min(offset, total);
        int to = (int) Math.min((long) from + limit, total);
        List<Item> items = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            int q = ids != null ? all.indexOf(ids.get(i)) : i;
            if (q < 0) {
                throw new IllegalStateException(
                        "subset '" + subset + "' names question " + ids.get(i) + ", which " + split + " lacks");
            }
            long imageId = all.imageId(q);
            items.add(new Item(
                    all.questionId(q), imageId, all.question(q), Keys.image(dataset, info.imageFileName(imageId))));
        }
        return new Page(dataset, split, subset, sha256, total, from, limit, to < total ? to : null, items);
    }
}
