package dev.pictor.core.port;

import dev.pictor.core.Requester;

/** The member of a job running in this process and the chat it answers in ({@link Delivery#chat}; null: none). */
public record JobChat(Requester who, String chat) {
}
