package dev.pictor.core.port;

/**
 * Posts a plain text nobody asked for into one chat of one bot: a Discord channel id, a Telegram chat id. The core
 * decides what is said and where ({@link dev.pictor.core.chat.AdminNotices}); an adapter only posts it. A failure
 * is thrown (the caller logs it).
 */
@FunctionalInterface
public interface ChatPost {
    void post(String chat, String text);
}
