package dev.pictor.core.port;

/**
 * One image as a gateway answered it: bytes (from base64) or a URL to download, the type the gateway claimed
 * (may be null; the core trusts only the bytes' magic numbers), and a rewritten prompt if it gave one.
 * With neither bytes nor URL it is an image the gateway made but the provider refused to keep (an inline image
 * over the size cap): the {@link ImageFetcher} refuses it like a download it refused.
 */
public record GatewayImage(byte[] bytes, String url, String claimedMimeType, String revisedPrompt) {
    public static GatewayImage ofUrl(String url, String mime, String revisedPrompt) {
        return new GatewayImage(null, url, mime, revisedPrompt);
    }

    public static GatewayImage ofBytes(byte[] bytes, String mime, String revisedPrompt) {
        return new GatewayImage(bytes, null, mime, revisedPrompt);
    }

    /** An image that was made but cannot be retrieved (e.g. an inline image over the size cap). */
    public static GatewayImage unavailable(String mime, String revisedPrompt) {
        return new GatewayImage(null, null, mime, revisedPrompt);
    }
}
