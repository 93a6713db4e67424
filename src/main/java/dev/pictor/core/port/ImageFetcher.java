package dev.pictor.core.port;

/**
 * Downloads an image a gateway returned as a URL, refusing oversized bodies and addresses that are not allowed.
 * Failures are classified like gateway calls ({@link GatewayException.Kind#TRANSIENT} for a 5xx or timeout,
 * {@link GatewayException.Kind#REJECTED} for a 404, a forbidden address or a body over the cap). A null URL
 * ({@link GatewayImage#unavailable}: an image the provider could not keep) is {@link GatewayException.Kind#REJECTED}.
 */
public interface ImageFetcher {
    byte[] fetch(String url) throws GatewayException;
}
