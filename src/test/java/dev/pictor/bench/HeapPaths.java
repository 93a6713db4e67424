package dev.pictor.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who holds the objects of a class in an HPROF heap dump ({@code jcmd PID GC.heap_dump FILE}, e.g. from
 * {@code StartupBench heap} with {@code -Dbench.heapDump=FILE}): a breadth-first walk from the GC roots gives every
 * reachable object its nearest holder, and for the objects of the classes asked the chains of holders (class and
 * field) up to a root are counted, most frequent first. A tool for finding what a waiting job keeps, not a test.
 *
 * <pre>
 * java -cp "$CP" dev.pictor.bench.HeapPaths DUMP.hprof '[C' '[Ljava.nio.ByteBuffer;' [-Dpaths.depth=12]
 * </pre>
 */
public final class HeapPaths {
    private static final int DEPTH = Integer.getInteger("paths.depth", 14);
    private static final int LIMIT = Integer.getInteger("paths.limit", 25);
    private static final int MIN_LENGTH = Integer.getInteger("paths.minLength", -1);

    private final ByteBuffer buf;
    private int idSize;
    private final Map<Long, String> strings = new HashMap<>();
    private final Map<Long, String> classNames = new HashMap<>();
    private final Map<Long, ClassDump> classes = new HashMap<>();
    /** Object id → position of its heap sub-record (after the tag). */
    private final Map<Long, Integer> objects = new HashMap<>(1 << 20);
    private final Map<Long, Byte> kinds = new HashMap<>(1 << 20);
    private final Map<Long, String> roots = new LinkedHashMap<>();
    private final Map<Integer, Long> threadBySerial = new HashMap<>();

    record ClassDump(long id, long superId, int instanceSize, List<long[]> fields, List<String> fieldNames, long[] statics,
                     List<String> staticNames) {
    }

    private HeapPaths(ByteBuffer buf) {
        this.buf = buf;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) throw new IllegalArgumentException("usage: HeapPaths DUMP.hprof CLASS...");
        try (var file = new RandomAccessFile(args[0], "r"); FileChannel ch = file.getChannel()) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            var heap = new HeapPaths(map);
            heap.parse();
            heap.report(List.of(args).subList(1, args.length));
        }
    }

    private long id() {
        return idSize == 8 ? buf.getLong() : buf.getInt() & 0xffffffffL;
    }

    private static int size(int type, int idSize) {
        return switch (type) {
            case 2 -> idSize;
            case 4, 8 -> 1;
            case 5, 9 -> 2;
            case 6, 10 -> 4;
            case 7, 11 -> 8;
            default -> throw new IllegalStateException("type " + type);
        };
    }

    private void parse() {
        while (buf.get() != 0) {
            // the header's text
        }
        idSize = buf.getInt();
        buf.getLong();
        while (buf.hasRemaining()) {
            int tag = buf.get() & 0xff;
            buf.getInt();
            long len = buf.getInt() & 0xffffffffL;
            int end = (int) (buf.position() + len);
            switch (tag) {
                case 0x01 -> {
                    long sid = id();
                    byte[] b = new byte[end - buf.position()];
                    buf.get(b);
                    strings.put(sid, new String(b, java.nio.charset.StandardCharsets.UTF_8));
                }
                case 0x02 -> {
                    buf.getInt();
                    long cid = id();
                    buf.getInt();
                    classNames.put(cid, strings.get(id()).replace('/', '.'));
                }
                case 0x0c, 0x1c -> heap(end);
                default -> { }
            }
            buf.position(end);
        }
    }

    private void heap(int end) {
        while (buf.position() < end) {
            int sub = buf.get() & 0xff;
            switch (sub) {
                case 0xff -> roots.put(id(), "unknown");
                case 0x01 -> { roots.put(id(), "JNI global"); id(); }
                case 0x02 -> { long o = id(); int t = buf.getInt(); buf.getInt(); roots.putIfAbsent(o, "JNI local t" + t); }
                case 0x03 -> { long o = id(); int t = buf.getInt(); int f = buf.getInt(); roots.putIfAbsent(o, "frame t" + t + " f" + f); }
                case 0x04 -> { long o = id(); int t = buf.getInt(); roots.putIfAbsent(o, "native stack t" + t); }
                case 0x05 -> roots.putIfAbsent(id(), "sticky class");
                case 0x06 -> { long o = id(); int t = buf.getInt(); roots.putIfAbsent(o, "thread block t" + t); }
                case 0x07 -> roots.putIfAbsent(id(), "monitor");
                case 0x08 -> { long o = id(); int t = buf.getInt(); buf.getInt(); threadBySerial.put(t, o); roots.putIfAbsent(o, "thread t" + t); }
                case 0x20 -> classDump();
                case 0x21 -> {
                    int at = buf.position();
                    long o = id();
                    buf.getInt();
                    id();
                    int n = buf.getInt();
                    objects.put(o, at);
                    kinds.put(o, (byte) 0x21);
                    buf.position(buf.position() + n);
                }
                case 0x22 -> {
                    int at = buf.position();
                    long o = id();
                    buf.getInt();
                    int n = buf.getInt();
                    id();
                    objects.put(o, at);
                    kinds.put(o, (byte) 0x22);
                    buf.position(buf.position() + n * idSize);
                }
                case 0x23 -> {
                    int at = buf.position();
                    long o = id();
                    buf.getInt();
                    int n = buf.getInt();
                    int t = buf.get();
                    objects.put(o, at);
                    kinds.put(o, (byte) 0x23);
                    buf.position(buf.position() + n * size(t, idSize));
                }
                default -> throw new IllegalStateException("heap sub-record " + Integer.toHexString(sub) + " at " + buf.position());
            }
        }
    }

    private void classDump() {
        long cid = id();
        buf.getInt();
        long superId = id();
        for (int i = 0; i < 5; i++) id();
        int instanceSize = buf.getInt();
        int cp = buf.getShort() & 0xffff;
        for (int i = 0; i < cp; i++) {
            buf.getShort();
            int t = buf.get();
            buf.position(buf.position() + size(t, idSize));
        }
        int ns = buf.getShort() & 0xffff;
        var statics = new ArrayList<Long>();
        var staticNames = new ArrayList<String>();
        for (int i = 0; i < ns; i++) {
            long name = id();
            int t = buf.get();
            if (t == 2) {
                statics.add(id());
                staticNames.add(strings.get(name));
            } else {
                buf.position(buf.position() + size(t, idSize));
            }
        }
        int nf = buf.getShort() & 0xffff;
        var fields = new ArrayList<long[]>();
        var names = new ArrayList<String>();
        for (int i = 0; i < nf; i++) {
            long name = id();
            int t = buf.get();
            fields.add(new long[]{t});
            names.add(strings.get(name));
        }
        classes.put(cid, new ClassDump(cid, superId, instanceSize, fields, names,
                statics.stream().mapToLong(Long::longValue).toArray(), staticNames));
    }

    /** The references an object holds, with the field (or index) each is in. */
    private void refs(long o, java.util.function.BiConsumer<Long, String> to) {
        Integer at = objects.get(o);
        if (at == null) {
            ClassDump c = classes.get(o);
            if (c != null) {
                for (int i = 0; i < c.statics().length; i++) to.accept(c.statics()[i], "static " + c.staticNames().get(i));
            }
            return;
        }
        byte kind = kinds.get(o);
        ByteBuffer b = buf.duplicate();
        b.position(at);
        var self = this;
        java.util.function.LongSupplier idOf = () -> idSize == 8 ? b.getLong() : b.getInt() & 0xffffffffL;
        idOf.getAsLong();
        b.getInt();
        if (kind == 0x21) {
            long cid = idOf.getAsLong();
            b.getInt();
            for (long c = cid; c != 0; ) {
                ClassDump cd = self.classes.get(c);
                if (cd == null) break;
                for (int i = 0; i < cd.fields().size(); i++) {
                    int t = (int) cd.fields().get(i)[0];
                    if (t == 2) {
                        long r = idOf.getAsLong();
                        if (r != 0) to.accept(r, cd.fieldNames().get(i));
                    } else {
                        b.position(b.position() + size(t, idSize));
                    }
                }
                c = cd.superId();
            }
            to.accept(cid, "class");
        } else if (kind == 0x22) {
            int n = b.getInt();
            idOf.getAsLong();
            for (int i = 0; i < n; i++) {
                long r = idOf.getAsLong();
                if (r != 0) to.accept(r, "[" + i + "]");
            }
        }
    }

    private String classOf(long o) {
        Integer at = objects.get(o);
        if (at == null) return classes.containsKey(o) ? "class " + classNames.get(o) : "?";
        ByteBuffer b = buf.duplicate();
        b.position(at + idSize + 4);
        byte kind = kinds.get(o);
        if (kind == 0x21) return classNames.getOrDefault(idSize == 8 ? b.getLong() : (long) b.getInt(), "?");
        if (kind == 0x22) {
            b.getInt();
            return classNames.getOrDefault(idSize == 8 ? b.getLong() : (long) b.getInt(), "[?");
        }
        int n = b.getInt();
        int t = b.get();
        return switch (t) {
            case 4 -> "[Z"; case 5 -> "[C"; case 6 -> "[F"; case 7 -> "[D"; case 8 -> "[B"; case 9 -> "[S";
            case 10 -> "[I"; case 11 -> "[J"; default -> "[?";
        };
    }

    /** A thread's name, its digits replaced by N (so that a pool's threads count as one). */
    private String threadName(long thread) {
        long[] name = new long[1];
        refs(thread, (r, field) -> { if (field.equals("name")) name[0] = r; });
        if (name[0] == 0) return "?";
        long[] value = new long[1];
        refs(name[0], (r, field) -> { if (field.equals("value")) value[0] = r; });
        Integer at = objects.get(value[0]);
        if (at == null) return "?";
        ByteBuffer b = buf.duplicate();
        b.position(at + idSize + 4);
        int n = b.getInt();
        b.get();
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("[0-9]+", "N");
    }

    /** An object's shallow size as the dump gives it (the VM's headers and padding not counted). */
    private long sizeOf(long o) {
        Integer at = objects.get(o);
        if (at == null) return 0;
        ByteBuffer b = buf.duplicate();
        b.position(at + idSize + 4);
        byte kind = kinds.get(o);
        if (kind == 0x21) {
            b.position(b.position() + idSize);
            return 16 + b.getInt();
        }
        int n = b.getInt();
        if (kind == 0x22) return 16 + (long) n * idSize;
        int t = b.get();
        return 16 + (long) n * size(t, idSize);
    }

    private int lengthOf(long o) {
        Integer at = objects.get(o);
        if (at == null || kinds.get(o) == 0x21) return -1;
        ByteBuffer b = buf.duplicate();
        b.position(at + idSize + 4);
        return b.getInt();
    }

    /**
     * What only the threads named {@code prefix}… hold: a walk from every other root first, then from theirs; the
     * objects the second walk reaches first are theirs alone. Printed by class and by nearest holders.
     */
    private void owned(String prefix) {
        var jobThreads = new java.util.HashSet<Integer>();
        threadBySerial.forEach((serial, thread) -> {
            if (threadName(thread).startsWith(prefix)) jobThreads.add(serial);
        });
        var jobThreadObjects = new java.util.HashSet<Long>();
        for (int serial : jobThreads) jobThreadObjects.add(threadBySerial.get(serial));
        Map<Long, Long> parent = new HashMap<>(objects.size() * 2);
        Map<Long, String> via = new HashMap<>(objects.size() * 2);
        var later = new ArrayList<Long>();
        var queue = new ArrayDeque<Long>();
        for (var r : roots.entrySet()) {
            String what = r.getValue();
            var m = java.util.regex.Pattern.compile("^(?:frame|thread|JNI local|native stack|thread block) t([0-9]+)").matcher(what);
            if (m.find() && jobThreads.contains(Integer.parseInt(m.group(1)))) later.add(r.getKey());
            else if (parent.putIfAbsent(r.getKey(), 0L) == null) queue.add(r.getKey());
        }
        for (long c : classes.keySet()) {
            if (parent.putIfAbsent(c, 0L) == null) queue.add(c);
        }
        // the first walk does not enter the job threads (a parked thread is held by the queue it waits in)
        walk(queue, parent, via, jobThreadObjects);
        int before = parent.size();
        var firstWalk = new java.util.HashSet<>(parent.keySet());
        for (long r : later) {
            if (!firstWalk.contains(r) || jobThreadObjects.contains(r)) {
                parent.put(r, 0L);
                queue.add(r);
            }
        }
        walk(queue, parent, via, java.util.Set.of());
        var owned = new java.util.HashSet<Long>();
        for (long o : parent.keySet()) {
            if (!firstWalk.contains(o) || jobThreadObjects.contains(o)) owned.add(o);
        }
        System.out.printf(Locale.ROOT, "%d threads %s…; objects reached only through them: %d (second walk added %d)%n",
                jobThreads.size(), prefix, owned.size(), parent.size() - before);
        var byClass = new TreeMap<String, long[]>();
        var byHolder = new TreeMap<String, long[]>();
        for (long o : owned) {
            String c = classOf(o);
            long[] v = byClass.computeIfAbsent(c, k -> new long[2]);
            v[0]++;
            v[1] += sizeOf(o);
            var chain = new StringBuilder(c);
            long at = o;
            for (int d = 0; d < DEPTH; d++) {
                Long p = parent.get(at);
                if (p == null || p == 0L) { chain.append(" <- ").append(roots.getOrDefault(at, "?").replaceAll(" t[0-9]+", "").replaceAll(" f[0-9]+", "")); break; }
                String field = via.get(at).startsWith("[") ? "[]" : via.get(at);
                chain.append(" <- ").append(classOf(p)).append('.').append(field);
                at = p;
            }
            long[] h = byHolder.computeIfAbsent(chain.toString(), k -> new long[2]);
            h[0]++;
            h[1] += sizeOf(o);
        }
        double n = Math.max(1, jobThreads.size());
        System.out.println("by class, per thread (count, bytes as dumped: 8-byte references, 16-byte headers):");
        byClass.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(LIMIT)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %7.2f %8.0f  %s%n", e.getValue()[0] / n, e.getValue()[1] / n, e.getKey()));
        System.out.println("by chain of holders, per thread:");
        byHolder.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(LIMIT)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %7.2f %8.0f  %s%n", e.getValue()[0] / n, e.getValue()[1] / n, e.getKey()));
    }

    private void walk(ArrayDeque<Long> queue, Map<Long, Long> parent, Map<Long, String> via, java.util.Set<Long> skip) {
        while (!queue.isEmpty()) {
            long o = queue.poll();
            refs(o, (r, field) -> {
                if (!parent.containsKey(r) && !skip.contains(r)) {
                    parent.put(r, o);
                    via.put(r, field);
                    queue.add(r);
                }
            });
        }
    }

    private void report(List<String> wanted) {
        if (wanted.getFirst().startsWith("owned:")) {
            owned(wanted.getFirst().substring("owned:".length()));
            return;
        }
        // breadth-first from the roots: each object's nearest holder
        Map<Long, Long> parent = new HashMap<>(objects.size() * 2);
        Map<Long, String> via = new HashMap<>(objects.size() * 2);
        var queue = new ArrayDeque<Long>();
        for (long r : roots.keySet()) {
            if (parent.putIfAbsent(r, 0L) == null) queue.add(r);
        }
        for (long c : classes.keySet()) {
            if (parent.putIfAbsent(c, 0L) == null) queue.add(c);
        }
        walk(queue, parent, via, java.util.Set.of());
        for (String cls : wanted) {
            var chains = new TreeMap<String, long[]>();
            long count = 0;
            for (long o : objects.keySet()) {
                if (!classOf(o).equals(cls) || lengthOf(o) < MIN_LENGTH) continue;
                count++;
                var chain = new StringBuilder();
                long at = o;
                int length = lengthOf(o);
                chain.append(cls).append(length >= 0 ? "(" + length + ")" : "");
                for (int d = 0; d < DEPTH; d++) {
                    Long p = parent.get(at);
                    if (p == null) { chain.append(" <- unreachable"); break; }
                    if (p == 0L) {
                        chain.append(" <- root ").append(roots.getOrDefault(at, "class"));
                        if (roots.getOrDefault(at, "").startsWith("thread ")) chain.append(" \"").append(threadName(at)).append('"');
                        break;
                    }
                    String field = via.get(at).startsWith("[") ? "[]" : via.get(at);
                    chain.append(" <- ").append(classOf(p)).append('.').append(field);
                    at = p;
                }
                long[] c = chains.computeIfAbsent(chain.toString().replaceAll(" t[0-9]+", " tN").replaceAll(" f[0-9]+", " fN"),
                        k -> new long[2]);
                c[0]++;
                c[1] += sizeOf(o);
            }
            System.out.printf(Locale.ROOT, "%s: %d objects (count, bytes, chain of holders)%n", cls, count);
            chains.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1])).limit(LIMIT)
                    .forEach(e -> System.out.printf(Locale.ROOT, "  %6d %9d  %s%n", e.getValue()[0], e.getValue()[1], e.getKey()));
        }
    }
}
