package dev.pictor.core.port;

/** An image gateway reached through one provider dialect (implemented in {@code dev.pictor.provider}). */
public interface ImageGateway {
    /** The provider's name in the configuration ({@code providers.<name>}). */
    String name();

    GatewayResult generate(GatewayCall call) throws GatewayException;
}
