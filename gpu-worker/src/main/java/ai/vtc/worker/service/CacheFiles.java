package ai.vtc.worker.service;

import ai.vtc.storage.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Files of the worker's cache directory, which every worker of a machine shares by default: each file is fetched
 * under a name no other fetch uses and renamed into place in one step, with its sha256 beside it in
 * {@code <file>.sha256} (written first). A cached file is used only when it matches that checksum: a truncated or
 * altered one (or one without its checksum) is fetched again.
 */
final class CacheFiles {
    private static final Logger LOG = Logger.getLogger(CacheFiles.class);
    static final String SUM = ".sha256";

    private CacheFiles() {}

    /** {@code local}, fetched from {@code key} unless a copy that matches its checksum is there already. */
    static Path fetch(ObjectStore store, String key, Path local) throws IOException {
        if (verified(local)) {
            return local;
        }
        if (Files.exists(local)) {
            LOG.warnf("cached %s does not match its checksum; fetching %s again", local, key);
        }
        Path fetched = unique(local, ".fetch");
        try {
            store.download(key, fetched);
            Path sum = unique(local, SUM);
            Files.writeString(sum, CheckpointStore.sha256(fetched), StandardCharsets.UTF_8);
            Files.move(sum, checksumOf(local), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(fetched, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(fetched);
        }
        return local;
    }

    /** Whether {@code local} exists and matches the checksum recorded beside it. */
    static boolean verified(Path local) {
        Path sum = checksumOf(local);
        try {
            return Files.isRegularFile(local)
                    && Files.isRegularFile(sum)
                    && Files.readString(sum, StandardCharsets.UTF_8).strip().equals(CheckpointStore.sha256(local));
        } catch (IOException e) { // replaced or removed by another worker meanwhile: fetch it
            return false;
        }
    }

    static Path checksumOf(Path local) {
        return local.resolveSibling(local.getFileName() + SUM);
    }

    /** A name in {@code local}'s folder that no other worker or thread uses. */
    static Path unique(Path local, String suffix) {
        return local.resolveSibling("." + local.getFileName() + "." + UUID.randomUUID() + suffix);
    }
}
