package dev.pictor.testing;

import dev.pictor.core.port.UpdateInbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** An {@link UpdateInbox} in memory, for adapter tests; it outlives a bot (keep one across a "restart"). */
public final class MemoryInbox implements UpdateInbox {
    private record Row(String payload, Instant at, boolean done) {
    }

    private final Map<String, TreeMap<Long, Row>> rows = new ConcurrentHashMap<>();

    private TreeMap<Long, Row> of(String profile) {
        return rows.computeIfAbsent(profile, p -> new TreeMap<>());
    }

    @Override
    public synchronized Set<Long> record(String profile, List<Received> updates) {
        var fresh = new LinkedHashSet<Long>();
        for (Received u : updates) {
            if (of(profile).putIfAbsent(u.id(), new Row(u.payload(), Instant.now(), false)) == null) fresh.add(u.id());
        }
        return fresh;
    }

    @Override
    public synchronized void done(String profile, long id) {
        of(profile).computeIfPresent(id, (k, r) -> new Row(r.payload(), r.at(), true));
    }

    @Override
    public synchronized List<Received> undone(String profile) {
        var out = new ArrayList<Received>();
        of(profile).forEach((id, r) -> {
            if (!r.done()) out.add(new Received(id, r.payload()));
        });
        return out;
    }

    @Override
    public synchronized int prune(String profile, Instant before) {
        int n = of(profile).size();
        of(profile).values().removeIf(r -> r.done() && r.at().isBefore(before));
        return n - of(profile).size();
    }

    /** Updates recorded for the profile, done or not. */
    public synchronized int recorded(String profile) {
        return of(profile).size();
    }
}
