package dev.pictor.telegram;

import java.nio.charset.StandardCharsets;

/**
 * The callback data of a result's buttons: {@code r:<job>} Re-roll, {@code d:<job>} Details, {@code x:<job>}
 * Delete. It says only which job and which action; any client can send any callback data, so what a press may act
 * on (the job's own messages, in its own chat) is read from the ledger and the pressed message Telegram reports.
 * Telegram allows 1–64 bytes.
 */
record ButtonIds(Action action, String jobId) {
    static final int MAX_BYTES = 64;

    enum Action {
        REROLL('r'), DETAILS('d'), DELETE('x');

        final char code;

        Action(char code) {
            this.code = code;
        }
    }

    /** The callback data, or null when it does not fit in 64 bytes. */
    String encode() {
        String data = action.code + ":" + jobId;
        return data.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES ? data : null;
    }

    /** Reads callback data; null when it is not one of ours. */
    static ButtonIds parse(String data) {
        if (data == null || data.length() < 3 || data.length() > MAX_BYTES || data.charAt(1) != ':') return null;
        for (Action a : Action.values()) {
            if (a.code == data.charAt(0)) return new ButtonIds(a, data.substring(2));
        }
        return null;
    }
}
