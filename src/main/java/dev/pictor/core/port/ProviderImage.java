package dev.pictor.core.port;

/**
 * One image as a provider answered it: bytes (from base64) or a URL to download, the type the provider claimed
 * (may be null; the core trusts only the bytes' magic numbers), and a rewritten prompt if it gave one.
 * With neither bytes nor URL it is an image the provider made but the provider refused to keep (an inline image
 * over the size cap): the {@link ImageFetcher} refuses it like a download it refused.
 */
public record ProviderImage(byte[] bytes, String url, String claimedMimeType, String revisedPrompt) {
    public static ProviderImage ofUrl(String url, String mime, String revisedPrompt) {
        return new ProviderImage(null, url, mime, revisedPrompt);
    }

    public static ProviderImage ofBytes(byte[] bytes, String mime, String revisedPrompt) {
        return new ProviderImage(bytes, null, mime, revisedPrompt);
    }

    /** An image that was made but cannot be retrieved (e.g. an inline image over the size cap). */
    public static ProviderImage unavailable(String mime, String revisedPrompt) {
        return new ProviderImage(null, null, mime, revisedPrompt);
    }
}
