package dev.pictor.telegram.fake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The fake's spec check must catch what Telegram would refuse, or the end-to-end tests prove nothing. */
class TelegramSpecTest {
    final TelegramSpec spec = TelegramSpec.load();

    static Map<String, JsonNode> params(Object... kv) {
        var m = new LinkedHashMap<String, JsonNode>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1] instanceof Integer n ? IntNode.valueOf(n) : TextNode.valueOf((String) kv[i + 1]));
        }
        return m;
    }

    @Test
    void aValidPhotoWithButtons_passes() {
        var p = params("chat_id", "42", "photo", "attach://a.png", "caption", "a fox",
                "reply_markup", "{\"inline_keyboard\":[[{\"text\":\"Re-roll\",\"callback_data\":\"r:job\"}]]}",
                "reply_parameters", "{\"message_id\":5,\"allow_sending_without_reply\":true}");
        assertThat(spec.check("sendphoto", p, Set.of("a.png"))).isEmpty();
    }

    @Test
    void captionOver1024_callbackDataOver64Bytes_unknownFieldsAndMissingFiles_areCaught() {
        var p = params("chat_id", "42", "photo", "attach://missing.png", "caption", "x".repeat(1025), "colour", "red",
                "reply_markup", "{\"inline_keyboard\":[[{\"text\":\"Re-roll\",\"callback_data\":\"" + "é".repeat(33) + "\"}]]}");
        assertThat(spec.check("sendPhoto", p, Set.of("a.png"))).hasSize(4)
                .anySatisfy(v -> assertThat(v).contains("caption").contains("1025"))
                .anySatisfy(v -> assertThat(v).contains("callback_data").contains("66 bytes"))
                .anySatisfy(v -> assertThat(v).contains("unknown field colour"))
                .anySatisfy(v -> assertThat(v).contains("photo").contains("attach"));
    }

    @Test
    void missingRequiredFields_wrongTypes_andUnknownMethods_areCaught() {
        assertThat(spec.check("sendMessage", params("chat_id", "42"), Set.of())).containsExactly("sendMessage.text: required but missing");
        assertThat(spec.check("sendMessage", params("chat_id", "forty-two?", "text", ""), Set.of()))
                .anySatisfy(v -> assertThat(v).contains("text").contains("0 characters"));
        assertThat(spec.check("deleteMessage", params("chat_id", 1, "message_id", "seven"), Set.of()))
                .containsExactly("deleteMessage.message_id: expected Integer, got \"seven\"");
        assertThat(spec.check("sendSticker", params(), Set.of())).containsExactly("no Bot API method sendSticker");
    }

    @Test
    void anAlbumNeedsTwoToTenPhotos_eachOfTypePhoto() {
        var one = params("chat_id", "1", "media", "[{\"type\":\"photo\",\"media\":\"attach://a.png\"}]");
        assertThat(spec.check("sendMediaGroup", one, Set.of("a.png"))).anySatisfy(v -> assertThat(v).contains("1 items"));
        var two = params("chat_id", "1", "media", "[{\"type\":\"photo\",\"media\":\"attach://a.png\"},{\"type\":\"photo\",\"media\":\"attach://b.png\"}]");
        assertThat(spec.check("sendMediaGroup", two, Set.of("a.png", "b.png"))).isEmpty();
    }

    @Test
    void aWebhookSecretKeepsToTelegramsCharactersAndLength_andTheUrlIsRequired() {
        assertThat(spec.check("setWebhook", params("url", "https://bots.example.org/hook", "secret_token", "Ok_secret-1",
                "allowed_updates", "[\"message\",\"callback_query\"]", "drop_pending_updates", "false"), Set.of())).isEmpty();
        assertThat(spec.check("setWebhook", params("url", "https://bots.example.org/hook", "secret_token", "not allowed!"), Set.of()))
                .singleElement().asString().contains("secret_token").contains("does not match");
        assertThat(spec.check("setWebhook", params("url", "https://bots.example.org/hook", "secret_token", "a".repeat(257)), Set.of()))
                .singleElement().asString().contains("257 characters");
        assertThat(spec.check("setWebhook", params("secret_token", "abc"), Set.of())).containsExactly("setWebhook.url: required but missing");
    }

    @Test
    void botCommandsMustBeLowerCase() {
        var p = params("commands", "[{\"command\":\"Imagine\",\"description\":\"draw\"}]");
        assertThat(spec.check("setMyCommands", p, Set.of())).anySatisfy(v -> assertThat(v).contains("Imagine"));
    }
}
