package dev.pictor.provider;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Inline images ({@code b64_json}) are decoded from the answer's stream, with the image cap applied as they come. */
class InlineImageTest {
    private static final byte[] BYTES = {(byte) 0x89, 'P', 'N', 'G', (byte) 0xFB, (byte) 0xFF, 0x3F, 0x00};

    record Item(@JsonProperty("b64_json") InlineImage b64Json, @JsonProperty("url") String url) {
    }

    record Answer(@JsonProperty("data") List<Item> data) {
    }

    private static List<Item> read(String json, long maxBytes) throws Exception {
        return ProviderHttp.json().readerFor(Answer.class).withAttribute(InlineImage.MAX_BYTES, maxBytes)
                .<Answer>readValue(json).data();
    }

    private static String answer(String... b64) {
        var items = new StringBuilder();
        for (String s : b64) items.append(items.isEmpty() ? "" : ",").append("{\"b64_json\":\"").append(s).append("\",\"url\":\"next\"}");
        return "{\"data\":[" + items + "]}";
    }

    @Test
    void standardBase64_paddedOrNot_withEscapedLineBreaksOrSlashes_decodes() throws Exception {
        String std = Base64.getEncoder().encodeToString(BYTES);
        String unpadded = Base64.getEncoder().withoutPadding().encodeToString(BYTES);
        String lines = std.substring(0, 4) + "\\n" + std.substring(4);
        String slashes = std.replace("/", "\\/");

        for (Item item : read(answer(std, unpadded, lines, slashes), 1024)) {
            assertThat(item.b64Json().bytes()).isEqualTo(BYTES);
            assertThat(item.url()).isEqualTo("next");
        }
    }

    @Test
    void notBase64_isInvalid_andTheRestOfTheAnswerStillReads() throws Exception {
        var items = read(answer("%%% not base64 %%%", Base64.getEncoder().encodeToString(BYTES), "iVBORw0KGgo===x", ""), 1024);

        assertThat(items.get(0).b64Json().invalid()).isTrue();
        assertThat(items.get(1).b64Json().bytes()).isEqualTo(BYTES);
        assertThat(items.get(2).b64Json().invalid()).isTrue();
        assertThat(items.get(3).b64Json().invalid()).isTrue();
        assertThat(items).allSatisfy(i -> assertThat(i.url()).isEqualTo("next"));
    }

    @Test
    void anImageOverTheCap_isCountedButNotKept() throws Exception {
        byte[] big = new byte[100_000];
        var item = read(answer(Base64.getEncoder().encodeToString(big)), 99_999).getFirst();

        assertThat(item.b64Json().oversized()).isTrue();
        assertThat(item.b64Json().bytes()).isNull();
        assertThat(item.b64Json().decodedSize()).isEqualTo(100_000);
        assertThat(item.url()).isEqualTo("next");
        assertThat(read(answer(Base64.getEncoder().encodeToString(big)), 100_000).getFirst().b64Json().bytes()).hasSize(100_000);
    }
}
