package dev.pictor.provider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressPolicyTest {
    private static InetAddress ip(String literal) {
        return AddressPolicy.literal(literal, literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111",
            "2001:4860:4860::8888", "::ffff:8.8.8.8"})
    void publicAddressesAreAllowed(String address) {
        assertThat(AddressPolicy.isPublic(ip(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.255",
            "127.0.0.1", "127.8.8.8", "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.168.0.1",
            "198.18.0.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
            "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
            "::10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::1", "fec0::1"})
    void privateLocalAndSpecialAddressesAreNot(String address) {
        assertThat(AddressPolicy.isPublic(ip(address))).isFalse();
        assertThat(AddressPolicy.publicOnly().permits("host.test", ip(address))).isFalse();
    }

    @Test
    void theAllowListLetsThroughNamedHostsAddressesAndBlocks() {
        var policy = AddressPolicy.allowing(List.of("127.0.0.1", "10.1.0.0/16", "fd00::/8", "Images.Internal."));

        assertThat(policy.permits("x", ip("127.0.0.1"))).isTrue();
        assertThat(policy.permits("x", ip("127.0.0.2"))).isFalse();
        assertThat(policy.permits("x", ip("10.1.200.3"))).isTrue();
        assertThat(policy.permits("x", ip("10.2.0.1"))).isFalse();
        assertThat(policy.permits("x", ip("fd99::1"))).isTrue();
        assertThat(policy.permits("x", ip("fc00::1"))).isFalse();
        assertThat(policy.permits("images.internal", ip("192.168.3.3"))).isTrue();
        assertThat(policy.permits("other.internal", ip("192.168.3.3"))).isFalse();
        assertThat(policy.permits("anything", ip("8.8.8.8"))).isTrue();
    }

    @Test
    void malformedEntriesAreRefused() {
        assertThatThrownBy(() -> AddressPolicy.allowing(List.of("10.0.0.0/33"))).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> AddressPolicy.allowing(List.of("10.0.0.0/x"))).hasMessageContaining("10.0.0.0/x");
        assertThatThrownBy(() -> AddressPolicy.allowing(List.of("999.1.1.1"))).hasMessageContaining("999.1.1.1");
        assertThatThrownBy(() -> AddressPolicy.allowing(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
    }
}
