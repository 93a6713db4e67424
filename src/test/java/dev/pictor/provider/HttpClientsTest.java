package dev.pictor.provider;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HttpClientsTest {
    private static final List<String> PROPERTIES = List.of("jdk.httpclient.bufsize", "jdk.httpclient.connectionPoolSize",
            "jdk.httpclient.keepalive.timeout");

    @Test
    void theProvidersClient_isBuiltAtItsFirstCall_notWhenTheProvidersAreMade() {
        var client = HttpClients.forProviders();
        Providers.create(new ProviderSettings("gw", "aimlapi", "https://gw.test", "test-key", java.time.Duration.ofSeconds(5),
                4, null, java.util.Map.of()), client);
        assertThat(client.started()).as("start-up does not wait for the JDK client").isFalse();

        client.get();

        assertThat(client.started()).isTrue();
        client.shutdownNow();
    }

    @Test
    void theProvidersClient_setsSmallReadBuffersAndABoundedPool_unlessTheJvmWasToldOtherwise() {
        var saved = new LinkedHashMap<String, String>();
        PROPERTIES.forEach(p -> saved.put(p, System.getProperty(p)));
        try {
            // given a JVM started with its own pool size and nothing else
            PROPERTIES.forEach(System::clearProperty);
            System.setProperty("jdk.httpclient.connectionPoolSize", "7");

            // when the providers' client is made (before any request or client of the JDK's is built)
            HttpClients.forProviders().shutdownNow();

            // then its read buffer is 4 KB and connections are kept as OkHttp's are, the admin's pool size kept
            assertThat(System.getProperty("jdk.httpclient.bufsize")).isEqualTo("4096");
            assertThat(System.getProperty("jdk.httpclient.keepalive.timeout")).isEqualTo("120");
            assertThat(System.getProperty("jdk.httpclient.connectionPoolSize")).isEqualTo("7");
        } finally {
            saved.forEach((p, v) -> {
                if (v == null) System.clearProperty(p);
                else System.setProperty(p, v);
            });
        }
    }
}
