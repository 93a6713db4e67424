package dev.pictor.store;

/** A database failure, unchecked so that ports stay free of {@code java.sql}. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
