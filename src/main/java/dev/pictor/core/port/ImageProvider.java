package dev.pictor.core.port;

/** An image provider reached through one provider dialect (implemented in {@code dev.pictor.provider}). */
public interface ImageProvider {
    /** The provider's name in the configuration ({@code providers.<name>}). */
    String name();

    ProviderResult generate(ProviderCall call) throws ProviderException;
}
