package dev.pictor.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A message as the fake Discord keeps it: what members would see in the channel (or privately, if ephemeral). */
public final class FakeMessage {
    public static final int EPHEMERAL = 64;
    public static final int LOADING = 128;

    /** An uploaded file. */
    public record Attachment(long id, String filename, byte[] bytes) {
        public int size() {
            return bytes.length;
        }
    }

    final long id;
    final long channelId;
    final long interactionId;
    volatile String content = "";
    volatile int flags;
    volatile List<Attachment> attachments = List.of();
    volatile JsonNode components;
    volatile boolean deleted;
    volatile int edits;

    FakeMessage(long id, long channelId, long interactionId, int flags) {
        this.id = id;
        this.channelId = channelId;
        this.interactionId = interactionId;
        this.flags = flags;
    }

    public long id() {
        return id;
    }

    public long channelId() {
        return channelId;
    }

    public String content() {
        return content;
    }

    public boolean ephemeral() {
        return (flags & EPHEMERAL) != 0;
    }

    public boolean loading() {
        return (flags & LOADING) != 0;
    }

    public boolean deleted() {
        return deleted;
    }

    public List<Attachment> attachments() {
        return attachments;
    }

    /** The custom ids of the buttons on this message, in order. */
    public List<String> buttonIds() {
        var ids = new ArrayList<String>();
        if (components != null) collect(components, ids);
        return ids;
    }

    /** The custom id of the button whose label is {@code label}. */
    public String button(String label) {
        if (components != null) {
            var found = new ArrayList<JsonNode>();
            find(components, found);
            for (JsonNode b : found) if (label.equals(b.path("label").asText())) return b.path("custom_id").asText();
        }
        throw new AssertionError("no button labelled " + label + " on message " + id + ": " + components);
    }

    private static void collect(JsonNode n, List<String> ids) {
        var found = new ArrayList<JsonNode>();
        find(n, found);
        found.forEach(b -> ids.add(b.path("custom_id").asText()));
    }

    private static void find(JsonNode n, List<JsonNode> into) {
        if (n.isArray()) n.forEach(c -> find(c, into));
        else if (n.isObject()) {
            if (n.path("type").asInt() == 2 && n.has("custom_id")) into.add(n);
            if (n.has("components")) find(n.get("components"), into);
        }
    }

    @Override
    public String toString() {
        return "message " + id + (ephemeral() ? " (ephemeral)" : "") + (loading() ? " (loading)" : "")
                + (deleted ? " (deleted)" : "") + ": \"" + content + "\" + " + attachments.size() + " files";
    }
}
