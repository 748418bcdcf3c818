package ai.vtc.dataset.persistence;

/** Where a dataset name stands. */
public enum DatasetStatus {
    /** A job is filling it; the name is taken but the dataset is not visible. */
    INGESTING,
    /** Its manifest is in object storage; visible to everyone. */
    READY
}
