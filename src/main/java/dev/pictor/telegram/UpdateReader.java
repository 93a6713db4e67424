package dev.pictor.telegram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.api.objects.Update;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads one update as Telegram sent it, from a poll's batch or a webhook's body. One that does not read as a
 * Telegram update (a {@code date} of 0 on a message, a number out of range, a field of the wrong JSON type, no
 * {@code update_id}) is skipped and logged once with its id (or, without a readable id, once per body), so that
 * an update Telegram sends again and again does not fill the log.
 */
final class UpdateReader {
    private static final Logger log = LoggerFactory.getLogger(UpdateReader.class);
    private static final int REMEMBERED_POISON = 1000;

    /** An update that reads as a Telegram update: its id, its JSON as it came, and the object. */
    record Accepted(long id, String json, Update update) {
    }

    private final String name;
    private final ObjectMapper json;
    private final Set<String> poisonLogged = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_POISON;
        }
    });

    UpdateReader(String name, ObjectMapper json) {
        this.name = name;
        this.json = json;
    }

    /** The {@code update_id} of an update as JSON, when it is one Telegram could have given (0 to 2⁶³−2); else null. */
    static Long idOf(JsonNode node) {
        JsonNode idNode = node == null ? null : node.get("update_id");
        return idNode != null && idNode.isIntegralNumber() && idNode.canConvertToLong() && idNode.asLong() >= 0
                && idNode.asLong() < Long.MAX_VALUE ? idNode.asLong() : null;
    }

    /** The update, or null when it does not read as one (then it is logged, once). */
    Accepted read(JsonNode node) {
        Long id = idOf(node);
        if (node == null || !node.isObject()) {
            skip(id, node, null);
            return null;
        }
        Update update;
        try {
            update = json.treeToValue(node, Update.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            skip(id, node, e);
            return null;
        }
        if (id == null || update == null || update.getUpdateId() == null) {
            skip(id, node, null);
            return null;
        }
        return new Accepted(id, node.toString(), update);
    }

    /** Logs (once) that a body which is not JSON at all was skipped. */
    void skipUnreadable(String what, int length, int hash) {
        String key = "body " + hash + "/" + length;
        synchronized (poisonLogged) {
            if (!poisonLogged.add(key)) return;
        }
        log.warn("Telegram bot {}: skipped an update: {}", name, what);
    }

    private void skip(Long id, JsonNode node, Exception e) {
        String text = String.valueOf(node);
        String key = id != null ? "id " + id : "json " + text.hashCode() + "/" + text.length();
        synchronized (poisonLogged) {
            if (!poisonLogged.add(key)) return;
        }
        log.warn("Telegram bot {}: skipped update {}: it does not read as a Telegram update ({})", name,
                id != null ? id : "with an unreadable update_id", node != null && !node.isObject() ? "not a JSON object" : why(e));
    }

    private static String why(Exception e) {
        if (e == null) return "no update_id";
        String what = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        what = String.valueOf(what).lines().findFirst().orElse("");
        if (what.length() > 200) what = what.substring(0, 200) + "…";
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String at = m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            return "at " + at + ": " + what;
        }
        return what;
    }
}
