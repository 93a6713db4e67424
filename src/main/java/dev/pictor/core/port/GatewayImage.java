package dev.pictor.core.port;

/**
 * One image as a gateway answered it: bytes (from base64) or a URL to download, the type the gateway claimed
 * (may be null; the core trusts only the bytes' magic numbers), and a rewritten prompt if it gave one.
 */
public record GatewayImage(byte[] bytes, String url, String claimedMimeType, String revisedPrompt) {
    public static GatewayImage ofUrl(String url, String mime, String revisedPrompt) {
        return new GatewayImage(null, url, mime, revisedPrompt);
    }

    public static GatewayImage ofBytes(byte[] bytes, String mime, String revisedPrompt) {
        return new GatewayImage(bytes, null, mime, revisedPrompt);
    }
}
