package dev.pictor.telegram;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The callback data of a result's buttons, keyed by job id so that the buttons keep working after a restart:
 * {@code r:<job>} Re-roll, {@code d:<job>} Details, {@code x:<job>[:<ids>]} Delete, where {@code <ids>} names the
 * other messages of the same result (an album before its buttons) as {@code first.count} or {@code a,b,c}.
 * Telegram allows 1–64 bytes.
 */
record ButtonData(Action action, String jobId, List<Integer> alsoDelete) {
    static final int MAX_BYTES = 64;
    private static final Pattern RANGE = Pattern.compile("(\\d{1,10})\\.(\\d{1,2})");
    private static final Pattern LIST = Pattern.compile("\\d{1,10}(,\\d{1,10})*");

    enum Action {
        REROLL('r'), DETAILS('d'), DELETE('x');

        final char code;

        Action(char code) {
            this.code = code;
        }
    }

    ButtonData {
        alsoDelete = alsoDelete == null ? List.of() : List.copyOf(alsoDelete);
    }

    static ButtonData of(Action action, String jobId) {
        return new ButtonData(action, jobId, List.of());
    }

    /** The callback data, or null when even the bare form does not fit in 64 bytes. */
    String encode() {
        String bare = action.code + ":" + jobId;
        if (!fits(bare)) return null;
        if (alsoDelete.isEmpty()) return bare;
        String ids = contiguous(alsoDelete)
                ? alsoDelete.getFirst() + "." + alsoDelete.size()
                : String.join(",", alsoDelete.stream().map(String::valueOf).toList());
        String full = bare + ":" + ids;
        return fits(full) ? full : bare;
    }

    /** Reads callback data; null when it is not one of ours. */
    static ButtonData parse(String data) {
        if (data == null || data.length() < 3 || data.charAt(1) != ':') return null;
        Action action = null;
        for (Action a : Action.values()) if (a.code == data.charAt(0)) action = a;
        if (action == null) return null;
        String rest = data.substring(2);
        var ids = new ArrayList<Integer>();
        int colon = rest.lastIndexOf(':');
        if (action == Action.DELETE && colon > 0) {
            String tail = rest.substring(colon + 1);
            var range = RANGE.matcher(tail);
            if (range.matches()) {
                long first = Long.parseLong(range.group(1));
                int count = Integer.parseInt(range.group(2));
                for (int i = 0; i < count && first + i <= Integer.MAX_VALUE; i++) ids.add((int) (first + i));
                rest = rest.substring(0, colon);
            } else if (LIST.matcher(tail).matches()) {
                for (String s : tail.split(",")) {
                    long v = Long.parseLong(s);
                    if (v <= Integer.MAX_VALUE) ids.add((int) v);
                }
                rest = rest.substring(0, colon);
            }
        }
        return rest.isEmpty() ? null : new ButtonData(action, rest, ids);
    }

    private static boolean fits(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
    }

    private static boolean contiguous(List<Integer> ids) {
        for (int i = 1; i < ids.size(); i++) if (ids.get(i) != ids.get(i - 1) + 1) return false;
        return ids.size() > 1;
    }
}
