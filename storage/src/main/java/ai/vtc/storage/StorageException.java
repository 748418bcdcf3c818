package ai.vtc.storage;

/** An object-storage operation failed or was given an invalid key; the message names the key. */
public class StorageException extends RuntimeException {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
