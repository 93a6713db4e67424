package dev.pictor.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Which process runs a job ({@code host/pid/start-millis/pid-namespace}, also the id of its lease in {@link Leases}),
 * so that a process on a shared database repairs only the jobs of processes that died, never those another live
 * process is running. Whether a process of this host and this PID namespace is still running is told from its pid;
 * one elsewhere — another host, or another container on this host that shares its hostname ({@code --network host},
 * the same {@code hostname:}) but not its PIDs — only by its lease.
 */
final class ProcessOwner {
    /** The PID namespace when {@code /proc/self/ns/pid} cannot be read (not Linux): pids are then taken as the host's. */
    static final String UNKNOWN_NAMESPACE = "-";
    private static final String HOST = host();
    private static final String NAMESPACE = pidNamespace();
    private static final String CURRENT = HOST + "/" + ProcessHandle.current().pid() + "/"
            + ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "/" + NAMESPACE;

    private ProcessOwner() {
    }

    static String current() {
        return CURRENT;
    }

    /**
     * Whether the owner may still be running: true for this process, a live process on this host and in this PID
     * namespace with the same start time, and any process on another host or in another PID namespace (which cannot
     * be checked from here).
     */
    static boolean mayBeAlive(String owner) {
        return mayBeAlive(owner, CURRENT, HOST, NAMESPACE);
    }

    /** {@link #mayBeAlive(String)} as seen by the process {@code current} of {@code host}, in PID namespace {@code namespace}. */
    static boolean mayBeAlive(String owner, String current, String host, String namespace) {
        if (owner == null) return false;
        if (owner.equals(current)) return true;
        String[] parts = owner.split("/");
        if (parts.length == 3) return true; // an id from before namespaces were recorded: its pid may be another container's
        if (parts.length != 4) return false;
        if (!parts[0].equals(host)) return true;
        if (!parts[3].equals(namespace)) return true; // its pid means nothing in this namespace
        try {
            long pid = Long.parseLong(parts[1]);
            long start = Long.parseLong(parts[2]);
            return ProcessHandle.of(pid)
                    .filter(ProcessHandle::isAlive)
                    .map(h -> h.info().startInstant().map(s -> Math.abs(s.toEpochMilli() - start) < 1_000).orElse(true))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The identity of this process's PID namespace ({@code 4026531836} of {@code pid:[4026531836]}), when readable. */
    private static String pidNamespace() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            String id = link.replaceAll("[^0-9]", "");
            return id.isEmpty() ? UNKNOWN_NAMESPACE : id;
        } catch (Exception e) {
            return UNKNOWN_NAMESPACE;
        }
    }

    private static String host() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!h.isEmpty()) return h;
        } catch (Exception ignored) {
            // not Linux
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
