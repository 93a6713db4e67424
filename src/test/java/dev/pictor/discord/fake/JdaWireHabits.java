package dev.pictor.discord.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Set;
import java.util.TreeSet;

/**
 * The few ways JDA 6.5.0 writes a request differently from the OpenAPI document while Discord accepts it. The
 * fake rewrites exactly these spots into the documented form before checking a body, and names each rewrite in
 * {@link FakeDiscord#habitsSeen()}; anything else that departs from the spec is a violation.
 * <ul>
 *   <li>{@code contexts} and {@code integration_types} of a command as strings ("0") instead of integers;</li>
 *   <li>{@code default_member_permissions} as a string ("32"), as Discord's documentation writes permissions;</li>
 *   <li>{@code nsfw} on a command (documented by Discord, missing from the OpenAPI document);</li>
 *   <li>{@code autocomplete: false} on options that cannot autocomplete (boolean, user, …);</li>
 *   <li>the ids of new {@code attachments} as integers (0, 1, …) instead of snowflake strings, and their
 *   {@code content_type}, which the spec does not declare for a request;</li>
 *   <li>{@code recipient_id} of a new DM channel as an integer instead of a snowflake string;</li>
 *   <li>{@code ?wait=} on an edit of the original reply (a parameter of message creation that edits ignore).</li>
 * </ul>
 */
final class JdaWireHabits {
    private JdaWireHabits() {
    }

    static boolean toleratedQuery(String operation, String parameter) {
        return operation.equals("update_original_webhook_message") && parameter.equals("wait");
    }

    /** Rewrites the known habits in place; returns which were found. */
    static Set<String> normalize(String operation, JsonNode body) {
        var seen = new TreeSet<String>();
        if (body == null) return seen;
        switch (operation) {
            case "bulk_set_application_commands", "bulk_set_guild_application_commands" -> {
                for (JsonNode c : body) {
                    if (!(c instanceof ObjectNode command)) continue;
                    for (String key : new String[]{"contexts", "integration_types"}) {
                        JsonNode list = command.get(key);
                        if (list != null && list.isArray()) {
                            for (int i = 0; i < list.size(); i++) {
                                JsonNode v = list.get(i);
                                if (v.isTextual() && v.asText().matches("\\d+")) {
                                    ((com.fasterxml.jackson.databind.node.ArrayNode) list).set(i, v.asInt());
                                    seen.add(key + " as strings");
                                }
                            }
                        }
                    }
                    JsonNode perms = command.get("default_member_permissions");
                    if (perms != null && perms.isTextual() && perms.asText().matches("\\d{1,17}")) {
                        command.put("default_member_permissions", Long.parseLong(perms.asText()));
                        seen.add("default_member_permissions as a string");
                    }
                    if (command.has("nsfw")) {
                        command.remove("nsfw");
                        seen.add("command nsfw");
                    }
                    options(command.get("options"), seen);
                }
            }
            case "update_original_webhook_message", "execute_webhook" -> attachments(body.get("attachments"), seen);
            case "create_interaction_response" -> attachments(body.path("data").get("attachments"), seen);
            case "create_dm" -> {
                if (body instanceof ObjectNode o && o.path("recipient_id").isIntegralNumber()) {
                    o.put("recipient_id", o.get("recipient_id").asText());
                    seen.add("recipient_id as an integer");
                }
            }
            case "create_message" -> attachments(body.get("attachments"), seen);
            default -> { }
        }
        return seen;
    }

    private static void options(JsonNode options, Set<String> seen) {
        if (options == null || !options.isArray()) return;
        for (JsonNode o : options) {
            if (!(o instanceof ObjectNode option)) continue;
            int type = option.path("type").asInt();
            boolean canComplete = type == 3 || type == 4 || type == 10;
            if (!canComplete && option.has("autocomplete") && !option.get("autocomplete").asBoolean()) {
                option.remove("autocomplete");
                seen.add("autocomplete:false on options that cannot autocomplete");
            }
            options(option.get("options"), seen);
        }
    }

    private static void attachments(JsonNode attachments, Set<String> seen) {
        if (attachments == null || !attachments.isArray()) return;
        for (JsonNode a : attachments) {
            if (!(a instanceof ObjectNode att)) continue;
            if (att.path("id").isIntegralNumber()) {
                att.put("id", att.get("id").asText());
                seen.add("attachment ids as integers");
            }
            if (att.has("content_type")) {
                att.remove("content_type");
                seen.add("attachment content_type");
            }
        }
    }
}
