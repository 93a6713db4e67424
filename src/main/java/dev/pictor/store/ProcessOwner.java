package dev.pictor.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Which process runs a job ({@code host/pid/start-millis}, also the id of its lease in {@link Leases}), so that a
 * process on a shared database repairs only the jobs of processes that died, never those another live process is
 * running. Whether a process of this host is still running is told from its pid; one on another host, only by its
 * lease.
 */
final class ProcessOwner {
    private static final String HOST = host();
    private static final String CURRENT = HOST + "/" + ProcessHandle.current().pid() + "/"
            + ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);

    private ProcessOwner() {
    }

    static String current() {
        return CURRENT;
    }

    /**
     * Whether the owner may still be running: true for this process, a live process on this host with the same start
     * time, and any process on another host (which cannot be checked from here).
     */
    static boolean mayBeAlive(String owner) {
        if (owner == null) return false;
        if (owner.equals(CURRENT)) return true;
        String[] parts = owner.split("/");
        if (parts.length != 3) return false;
        if (!parts[0].equals(HOST)) return true;
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
