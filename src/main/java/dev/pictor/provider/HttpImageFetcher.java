package dev.pictor.provider;

import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ImageFetcher;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.util.Collection;
import java.util.List;

/**
 * Downloads the images providers return as URLs, with OkHttp.
 *
 * <ul>
 *   <li><b>Addresses.</b> Only public addresses are contacted unless the allow-list says otherwise (see
 *       {@link AddressPolicy}). A host name is resolved and <em>every</em> address it resolves to must be allowed
 *       (a {@link Dns} wrapper, so the connection uses exactly the addresses checked); an IP literal is checked
 *       before connecting; redirects are followed here, one hop at a time (at most {@value #MAX_REDIRECTS}), each
 *       hop checked the same way; and a network interceptor checks the address actually connected to.</li>
 *   <li><b>Size.</b> A Content-Length over the cap is refused before reading; otherwise the body is read up to the
 *       cap and refused when it goes over (this also bounds a gzip body after decoding).</li>
 *   <li><b>Repeats.</b> A GET whose connection failed may be re-sent by OkHttp on a new connection
 *       ({@code retryOnConnectionFailure(true)} here, although the shared client has it off): downloading an image
 *       again changes nothing at the server, and a keep-alive connection the CDN closed would otherwise cost the
 *       image. This client sends nothing but GETs.</li>
 *   <li><b>Failures</b> are classified by {@link ProviderErrors}: 404 and other 4xx, a forbidden address, an
 *       oversized body → REJECTED; 5xx, 429, timeout, reset → TRANSIENT.</li>
 * </ul>
 * Whether the bytes are an image (magic numbers) is the core's check ({@code dev.pictor.core.Image.of}).
 */
public final class HttpImageFetcher implements ImageFetcher {
    public static final long DEFAULT_MAX_BYTES = 20L * 1024 * 1024;
    public static final int MAX_REDIRECTS = 5;
    /** The longest one download request (each redirect hop is one) may take when the shared client sets none. */
    public static final java.time.Duration DEFAULT_CALL_TIMEOUT = java.time.Duration.ofSeconds(60);

    private final OkHttpClient client;
    private final long maxBytes;
    private final AddressPolicy policy;

    /** A fetcher with the default cap (20 MB) that reaches public addresses only. */
    public HttpImageFetcher(OkHttpClient http) {
        this(http, DEFAULT_MAX_BYTES, List.of());
    }

    /**
     * @param http             the shared client (its pool and timeouts are reused)
     * @param maxBytes         the largest image accepted, in bytes
     * @param allowedPrivate   hosts, addresses or CIDR blocks that may be private, loopback or link-local
     *                         (e.g. {@code 127.0.0.1} in tests); empty for none
     */
    public HttpImageFetcher(OkHttpClient http, long maxBytes, Collection<String> allowedPrivate) {
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("maxBytes out of range: " + maxBytes);
        this.maxBytes = maxBytes;
        this.policy = AddressPolicy.allowing(allowedPrivate);
        Dns system = http.dns();
        var builder = http.newBuilder();
        if (http.callTimeoutMillis() == 0) builder.callTimeout(DEFAULT_CALL_TIMEOUT);
        this.client = builder
                .dns(host -> checked(host, system.lookup(host)))
                .addNetworkInterceptor(this::checkConnectedAddress)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(true) // GETs only: safe to repeat (see the class comment)
                .build();
    }

    @Override
    public byte[] fetch(String url) throws ProviderException {
        if (url == null) throw ProviderErrors.fetchRefused(null, "the image was refused before download (over the "
                + maxBytes + " byte limit inline)");
        HttpUrl current = HttpUrl.parse(url);
        if (current == null) throw ProviderErrors.fetchRefused(url, "not an http or https URL");
        for (int hop = 0; ; hop++) {
            refuseForbiddenLiteral(current);
            Request request = new Request.Builder().url(current).get()
                    .header("Accept", "image/png, image/jpeg, image/webp, image/gif, image/*;q=0.8")
                    .build();
            try (Response response = client.newCall(request).execute()) {
                if (response.isRedirect()) {
                    if (hop >= MAX_REDIRECTS) throw ProviderErrors.fetchRefused(url, "more than " + MAX_REDIRECTS + " redirects");
                    String location = response.header("Location");
                    HttpUrl next = location == null ? null : current.resolve(location);
                    if (next == null) throw ProviderErrors.fetchRefused(url, "a redirect to something that is not an http(s) URL");
                    current = next;
                    continue;
                }
                ResponseBody body = response.body();
                if (!response.isSuccessful()) {
                    throw ProviderErrors.fromFetchStatus(response.code(), current.toString(), Bodies.readSome(body, ProviderErrors.ERROR_BODY_LIMIT));
                }
                try {
                    return Bodies.readCapped(body, maxBytes);
                } catch (Bodies.TooLarge e) {
                    long declared = body.contentLength();
                    throw ProviderErrors.fetchRefused(current.toString(), (declared > 0 ? "image of " + declared + " bytes is" : "image is")
                            + " over the " + maxBytes + " byte limit");
                }
            } catch (IOException e) {
                ForbiddenAddress forbidden = ForbiddenAddress.in(e);
                if (forbidden != null) throw ProviderErrors.fetchRefused(current.toString(), forbidden.getMessage());
                throw ProviderErrors.fromFetchIOException(current.toString(), e);
            }
        }
    }

    private void refuseForbiddenLiteral(HttpUrl url) throws ProviderException {
        if (!AddressPolicy.isIpLiteral(url.host())) return;
        InetAddress address;
        try {
            address = AddressPolicy.literal(url.host(), url.host());
        } catch (IllegalArgumentException e) {
            throw ProviderErrors.fetchRefused(url.toString(), "not a valid address");
        }
        if (!policy.permits(url.host(), address)) {
            throw ProviderErrors.fetchRefused(url.toString(), ForbiddenAddress.describe(url.host(), address));
        }
    }

    private List<InetAddress> checked(String host, List<InetAddress> addresses) throws ForbiddenAddress {
        for (InetAddress a : addresses) {
            if (!policy.permits(host, a)) throw new ForbiddenAddress(host, a);
        }
        return addresses;
    }

    private Response checkConnectedAddress(Interceptor.Chain chain) throws IOException {
        var connection = chain.connection();
        if (connection != null && connection.route().proxy().type() == Proxy.Type.DIRECT) {
            InetAddress a = connection.route().socketAddress().getAddress();
            String host = chain.request().url().host();
            if (a != null && !policy.permits(host, a)) throw new ForbiddenAddress(host, a);
        }
        return chain.proceed(chain.request());
    }

    /** Thrown inside OkHttp (from DNS or the network interceptor) when an address is not allowed. */
    static final class ForbiddenAddress extends java.net.UnknownHostException {
        ForbiddenAddress(String host, InetAddress address) {
            super(describe(host, address));
        }

        static String describe(String host, InetAddress address) {
            return host + " is a private, loopback or link-local address (" + address.getHostAddress() + ")";
        }

        static ForbiddenAddress in(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof ForbiddenAddress f) return f;
                for (Throwable s : t.getSuppressed()) if (s instanceof ForbiddenAddress f) return f;
            }
            return null;
        }
    }
}
