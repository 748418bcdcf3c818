package ai.vtc.dataset.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of a dataset to ingest, by relative path ({@code val2014/COCO_val2014_000000000042.jpg}, always with
 * {@code /}): a local folder or an S3 prefix. Paths come from listing the source, never from the request or the data.
 */
public interface DatasetSource extends AutoCloseable {
    /** What the source is, for the manifest and messages ({@code folder /data/vqa}, {@code s3://vtc/incoming/}). */
    String describe();

    /** Every file, relative to the source, sorted. */
    List<String> files() throws IOException;

    /** Where {@code file} is, for error messages. */
    String location(String file);

    /** A local path with the content of {@code file} (the file itself, or a copy in scratch space). */
    Path local(String file) throws IOException;

    /** The content of {@code file} (an image). */
    byte[] read(String file) throws IOException;

    /** Removes local copies. */
    @Override
    void close();
}
