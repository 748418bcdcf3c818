package ai.vtc.dataset.service;

import ai.vtc.storage.Keys;
import ai.vtc.storage.StorageException;

/** Names from requests, checked by {@link Keys} before they go anywhere near a key or a path. */
public final class Names {
    private Names() {}

    /** {@code value} when it is a safe single name ({@link Keys#name}); otherwise an {@link InvalidRequest}. */
    public static String check(String what, String value) {
        try {
            return Keys.name(what, value);
        } catch (StorageException e) {
            throw new InvalidRequest(e.getMessage());
        }
    }
}
