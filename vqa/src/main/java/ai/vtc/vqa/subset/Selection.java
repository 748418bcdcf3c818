package ai.vtc.vqa.subset;

/** What a subset samples. */
public enum Selection {
    /** Questions independently (as the original project's VQAv2 subsets): a fraction of the questions. */
    QUESTION,
    /** Whole images with all their questions: a fraction of the images, so no image is split across subsets. */
    IMAGE
}
