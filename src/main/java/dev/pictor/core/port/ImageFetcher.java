package dev.pictor.core.port;

/**
 * Downloads an image a provider returned as a URL, refusing oversized bodies and addresses that are not allowed.
 * Failures are classified like provider calls ({@link ProviderException.Kind#TRANSIENT} for a 5xx or timeout,
 * {@link ProviderException.Kind#REJECTED} for a 404, a forbidden address or a body over the cap). A null URL
 * ({@link ProviderImage#unavailable}: an image the provider could not keep) is {@link ProviderException.Kind#REJECTED}.
 */
public interface ImageFetcher {
    byte[] fetch(String url) throws ProviderException;
}
