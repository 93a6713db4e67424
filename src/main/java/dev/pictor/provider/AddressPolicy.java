package dev.pictor.provider;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which addresses image downloads may reach. Public unicast addresses always; private (RFC 1918), loopback,
 * link-local (including 169.254.169.254, the cloud metadata service), unique-local (fc00::/7), multicast, the
 * any-local address, carrier-grade NAT (100.64/10), benchmarking (198.18/15) and reserved (240/4) ranges never,
 * unless an allow-list entry names the host or covers the address.
 *
 * <p>Allow-list entries are host names ({@code localhost}, matched exactly, case-insensitively), IP addresses
 * ({@code 127.0.0.1}, {@code ::1}) or CIDR blocks ({@code 10.0.0.0/8}, {@code fd00::/8}).
 */
public final class AddressPolicy {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    private final Set<String> hosts;
    private final List<Cidr> blocks;

    private AddressPolicy(Set<String> hosts, List<Cidr> blocks) {
        this.hosts = hosts;
        this.blocks = blocks;
    }

    public static AddressPolicy publicOnly() {
        return new AddressPolicy(Set.of(), List.of());
    }

    /** A policy that also lets through the given hosts, addresses and CIDR blocks; a malformed entry is refused. */
    public static AddressPolicy allowing(Collection<String> entries) {
        var hosts = new java.util.HashSet<String>();
        var blocks = new ArrayList<Cidr>();
        for (String raw : entries == null ? List.<String>of() : entries) {
            if (raw == null || raw.isBlank()) throw new IllegalArgumentException("allow-list: empty entry");
            String e = raw.trim().toLowerCase(Locale.ROOT);
            int slash = e.indexOf('/');
            if (slash >= 0) {
                blocks.add(Cidr.parse(e.substring(0, slash), e.substring(slash + 1), raw));
            } else if (isIpLiteral(e)) {
                InetAddress a = literal(e, raw);
                blocks.add(new Cidr(a.getAddress(), a.getAddress().length * 8));
            } else {
                hosts.add(stripDot(e));
            }
        }
        return new AddressPolicy(Set.copyOf(hosts), List.copyOf(blocks));
    }

    /** Whether {@code host}, resolved to {@code address}, may be contacted. */
    public boolean permits(String host, InetAddress address) {
        if (isPublic(address)) return true;
        if (host != null && hosts.contains(stripDot(host.toLowerCase(Locale.ROOT)))) return true;
        for (Cidr c : blocks) if (c.contains(address)) return true;
        return false;
    }

    /** Whether an address is ordinary public unicast. */
    public static boolean isPublic(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return isPublicV4(b);
        if (a instanceof Inet6Address) {
            int first = b[0] & 0xFF;
            if ((first & 0xFE) == 0xFC) return false;                       // fc00::/7 unique local
            if (allZero(b, 0, 12)) return isPublicV4(tail4(b));                // ::a.b.c.d (IPv4-compatible), ::, ::1
            if (first == 0x00 && (b[1] & 0xFF) == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B
                    && allZero(b, 4, 12)) {
                return isPublicV4(tail4(b));                                    // 64:ff9b::/96 NAT64
            }
            if (first == 0x20 && (b[1] & 0xFF) == 0x02) {                       // 2002::/16 6to4
                return isPublicV4(new byte[]{b[2], b[3], b[4], b[5]});
            }
            return (first & 0xE0) == 0x20;                                      // global unicast is 2000::/3
        }
        return false;
    }

    private static boolean isPublicV4(byte[] b) {
        int a0 = b[0] & 0xFF, a1 = b[1] & 0xFF;
        if (a0 == 0 || a0 == 10 || a0 == 127) return false;                    // this network, private, loopback
        if (a0 == 100 && (a1 & 0xC0) == 64) return false;                       // 100.64/10 carrier-grade NAT
        if (a0 == 169 && a1 == 254) return false;                               // link local, metadata service
        if (a0 == 172 && (a1 & 0xF0) == 16) return false;                       // 172.16/12
        if (a0 == 192 && a1 == 168) return false;                               // 192.168/16
        if (a0 == 192 && a1 == 0 && (b[2] & 0xFF) == 0) return false;           // 192.0.0/24 protocol assignments
        if (a0 == 198 && (a1 & 0xFE) == 18) return false;                       // 198.18/15 benchmarking
        return a0 < 224;                                                        // multicast, reserved, broadcast
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    /** An IP literal as an address, without any DNS lookup. */
    static InetAddress literal(String host, String forMessage) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean v4 = IPV4.matcher(h).matches();
        if (!(v4 || IPV6.matcher(h).matches())) throw new IllegalArgumentException("not an IP address: " + forMessage);
        if (v4) {
            for (String octet : h.split("\\.")) {
                if (Integer.parseInt(octet) > 255) throw new IllegalArgumentException("not an IP address: " + forMessage);
            }
        }
        try {
            return InetAddress.getByName(h); // checked above to be a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + forMessage);
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }

    private static byte[] tail4(byte[] b) {
        return new byte[]{b[12], b[13], b[14], b[15]};
    }

    private static String stripDot(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return "AddressPolicy[public + " + hosts + " + " + blocks + "]";
    }

    private record Cidr(byte[] network, int prefix) {
        static Cidr parse(String address, String prefixText, String raw) {
            InetAddress a = literal(address, raw);
            int bits = a.getAddress().length * 8;
            int prefix;
            try {
                prefix = Integer.parseInt(prefixText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("allow-list: bad prefix length in " + raw);
            }
            if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("allow-list: bad prefix length in " + raw);
            return new Cidr(a.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != network.length) return false;
            int full = prefix / 8, rest = prefix % 8;
            for (int i = 0; i < full; i++) if (b[i] != network[i]) return false;
            if (rest == 0) return true;
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (b[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException e) {
                return "?/" + prefix;
            }
        }
    }
}
