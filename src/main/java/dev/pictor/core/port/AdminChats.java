package dev.pictor.core.port;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the admins last managed pictor: for each scope (a community, {@code discord:1234}, or a bot's private chats
 * with its admins, {@code bot:telegram:main}), the chat an admin command last succeeded in and the bot profile that
 * answered it. Recorded by the core from the platform's own event, never from what a command's options say.
 */
public interface AdminChats {
    /** Nothing is recorded and nothing is found. */
    AdminChats NONE = new AdminChats() {
        @Override
        public void record(String scope, String profile, String chat) {
        }

        @Override
        public Optional<Place> find(String scope) {
            return Optional.empty();
        }
    };

    /** A chat an admin command succeeded in, the bot profile that answered there, and when. */
    record Place(String profile, String chat, Instant at) {
    }

    /** Remembers {@code chat} (answered by {@code profile}) as where {@code scope}'s admins last ran a command. */
    void record(String scope, String profile, String chat);

    /** Where {@code scope}'s admins last ran a command, if they did. */
    Optional<Place> find(String scope);
}
