package dev.pictor.provider;

import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ProviderException.Kind;
import dev.pictor.testing.TestImages;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okhttp3.Dns;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HttpImageFetcherTest {
    private final FakeProvider cdn = new FakeProvider();
    private final byte[] png = TestImages.png(40, 30);

    @AfterEach
    void close() {
        cdn.close();
    }

    private HttpImageFetcher loopbackAllowed(long max) {
        return new HttpImageFetcher(Pipeline.HTTP, max, List.of("127.0.0.1"));
    }

    /** A client whose DNS knows a few test names: cdn.test and internal.test → 127.0.0.1, mixed.test → public + loopback. */
    private static OkHttpClient withTestDns() {
        Dns dns = host -> switch (host) {
            case "cdn.test", "internal.test" -> List.of(InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1}));
            case "mixed.test" -> List.of(InetAddress.getByAddress(host, new byte[]{93, (byte) 184, (byte) 216, 34}),
                    InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1}));
            default -> throw new UnknownHostException(host);
        };
        return Pipeline.HTTP.newBuilder().dns(dns).build();
    }

    private static ProviderException refusal(HttpImageFetcher fetcher, String url) {
        return catchThrowableOfType(ProviderException.class, () -> fetcher.fetch(url));
    }

    @Test
    void downloadsTheBytes() throws Exception {
        cdn.serve("/a.png", png, "image/png");

        assertThat(loopbackAllowed(HttpImageFetcher.DEFAULT_MAX_BYTES).fetch(cdn.base("/a.png"))).isEqualTo(png);
        assertThat(cdn.downloads.getFirst().getHeaders().get("Authorization")).isNull();
    }

    @Test
    void notFoundIsRejected_serverErrorsAndRateLimitsAreTransient() {
        cdn.serve("/500.png", new MockResponse.Builder().code(500).build())
                .serve("/429.png", new MockResponse.Builder().code(429).build());
        var fetcher = loopbackAllowed(1000);

        assertThat(refusal(fetcher, cdn.base("/missing.png"))).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.REJECTED);
            assertThat(e.status()).isEqualTo(404);
        });
        assertThat(refusal(fetcher, cdn.base("/500.png")).kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(refusal(fetcher, cdn.base("/429.png")).kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void aTimeoutIsTransient() {
        cdn.serve("/slow.png", new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
        var fetcher = new HttpImageFetcher(Pipeline.HTTP.newBuilder().readTimeout(Duration.ofMillis(200)).build(),
                1000, List.of("127.0.0.1"));

        var e = refusal(fetcher, cdn.base("/slow.png"));

        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.getMessage()).contains("timed out");
    }

    @Test
    void anImageOverTheCapIsRejected_whetherItsLengthIsDeclaredOrNot() throws Exception {
        byte[] big = TestImages.noisyPng(30_000, 1);
        cdn.serve("/declared.png", big, "image/png")
                .serve("/chunked.png", new MockResponse.Builder().code(200).chunkedBody(new Buffer().write(big), 4096).build());
        var fetcher = loopbackAllowed(big.length - 1);

        assertThat(refusal(fetcher, cdn.base("/declared.png"))).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.REJECTED);
            assertThat(e.getMessage()).contains("over the " + (big.length - 1) + " byte limit");
        });
        assertThat(refusal(fetcher, cdn.base("/chunked.png")).kind()).isEqualTo(Kind.REJECTED);
        assertThat(loopbackAllowed(big.length).fetch(cdn.base("/chunked.png"))).isEqualTo(big);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/a.png", "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:9/a.png",
            "http://192.168.1.1/a.png", "http://172.16.5.4/a.png", "http://100.64.0.1/a.png", "http://0.0.0.0/a.png",
            "http://[::1]/a.png", "http://[fd00::1]/a.png", "http://[fe80::1]/a.png", "http://[::ffff:10.0.0.1]/a.png",
            "http://224.0.0.1/a.png"})
    void privateLoopbackAndLinkLocalAddressesAreRefusedWithoutConnecting(String url) {
        var e = refusal(new HttpImageFetcher(Pipeline.HTTP), url);

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.getMessage()).contains("private, loopback or link-local");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://cdn.test/a.png", "file:///etc/passwd", "not a url", "", "http://999.1.1.1/a.png"})
    void onlyHttpAndHttpsUrlsAreFetched(String url) {
        assertThat(refusal(new HttpImageFetcher(Pipeline.HTTP), url).kind()).isEqualTo(Kind.REJECTED);
    }

    @Test
    void aHostNameThatResolvesToLoopbackIsRefused_unlessAllowListed() throws Exception {
        cdn.serve("/a.png", png, "image/png");
        String url = "http://cdn.test:" + cdn.server.getPort() + "/a.png";

        assertThat(refusal(new HttpImageFetcher(withTestDns()), url).kind()).isEqualTo(Kind.REJECTED);
        assertThat(cdn.downloads).isEmpty();
        assertThat(new HttpImageFetcher(withTestDns(), 100_000, List.of("cdn.test")).fetch(url)).isEqualTo(png);
    }

    @Test
    void aHostWithOnePrivateAddressAmongPublicOnesIsRefused() {
        var e = refusal(new HttpImageFetcher(withTestDns()), "http://mixed.test:" + cdn.server.getPort() + "/a.png");

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.getMessage()).contains("127.0.0.1");
    }

    @Test
    void redirectsAreFollowed_eachHopChecked() throws Exception {
        int port = cdn.server.getPort();
        cdn.serve("/final.png", png, "image/png")
                .serve("/moved.png", redirect("/final.png"))
                .serve("/to-internal.png", redirect("http://internal.test:" + port + "/final.png"))
                .serve("/to-metadata.png", redirect("http://169.254.169.254/latest/meta-data/"));
        var fetcher = new HttpImageFetcher(withTestDns(), 100_000, List.of("cdn.test"));

        assertThat(fetcher.fetch("http://cdn.test:" + port + "/moved.png")).isEqualTo(png);
        cdn.downloads.clear();

        assertThat(refusal(fetcher, "http://cdn.test:" + port + "/to-internal.png").getMessage()).contains("internal.test");
        assertThat(cdn.downloads).extracting(r -> r.getUrl().encodedPath()).containsExactly("/to-internal.png");

        assertThat(refusal(fetcher, "http://cdn.test:" + port + "/to-metadata.png")).satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.REJECTED);
            assertThat(e.getMessage()).contains("169.254.169.254");
        });
    }

    @Test
    void aRedirectLoopIsRefused() {
        cdn.serve("/loop.png", redirect("/loop.png"));

        var e = refusal(loopbackAllowed(1000), cdn.base("/loop.png"));

        assertThat(e.kind()).isEqualTo(Kind.REJECTED);
        assertThat(e.getMessage()).contains("redirects");
        assertThat(cdn.downloads).hasSize(HttpImageFetcher.MAX_REDIRECTS + 1);
    }

    @Test
    void aMalformedAllowListEntryIsRefused() {
        assertThatThrownBy(() -> new HttpImageFetcher(Pipeline.HTTP, 10, List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10.0.0.0/33");
    }

    private static MockResponse redirect(String location) {
        return new MockResponse.Builder().code(302).setHeader("Location", location).build();
    }
}
