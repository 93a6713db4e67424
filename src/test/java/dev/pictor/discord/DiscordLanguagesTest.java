package dev.pictor.discord;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pictor.core.LimitSpec;
import dev.pictor.core.Platform;
import dev.pictor.core.QuotaSpent;
import dev.pictor.core.Requester;
import dev.pictor.core.chat.LanguageChoice;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.text.Languages;
import dev.pictor.discord.fake.FakeDiscord;
import dev.pictor.discord.fake.FakeInteraction;
import dev.pictor.discord.fake.FakeMessage;
import dev.pictor.testing.MemoryQuota;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;

import static dev.pictor.discord.DiscordImagineTest.options;
import static dev.pictor.discord.fake.FakeDiscord.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member reads pictor in their Discord client's language (the interaction's {@code locale}): refusals, quota waits,
 * Details and /help, with the arguments in place; the commands are described in every shipped language. A member
 * whose language pictor does not ship reads the server's language, and outside a server the bot's.
 */
class DiscordLanguagesTest {
    static DiscordRig rig;
    static FakeDiscord fake;
    /** The first server's admins chose Japanese; the bot profile says German. */
    static final LanguageChoice LANGUAGES = new LanguageChoice(Map.of("test-bot", Languages.GERMAN),
            (platform, community) -> platform == Platform.DISCORD && community.equals(Long.toString(FakeDiscord.GUILD_ID))
                    ? Optional.of(Languages.JAPANESE) : Optional.empty());
    @RegisterExtension
    static final DiscordRigExtension bot = new DiscordRigExtension(() -> DiscordRig.start(LANGUAGES), r -> {
        rig = r;
        fake = r.fake;
    });

    /** A quota whose daily 25 are spent, the next back in 3 h 12 min. */
    static MemoryQuota dailyLimitSpent() {
        return new MemoryQuota(0) {
            @Override
            public synchronized QuotaDecision charge(Requester who, int images) {
                return new QuotaDecision.Denied(new QuotaSpent(QuotaSpent.Holder.MEMBER, Platform.DISCORD,
                        LimitSpec.parse("25/1d"), 0, images, Duration.ofMinutes(192)).refusal());
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            en-US  | This community does not allow the term "forbidden" in prompts. | You have used your 25 images for today; the next one comes back in 3 h 12 min. | Details   | **Aspect:** 16:9     | shows how many images you may still make
            es-419 | Esta comunidad no permite el término "forbidden" en los prompts. | Ya usaste tus 25 imágenes de hoy; la próxima vuelve en 3 h 12 min. | Detalles | **Proporción:** 16:9 | muestra cuántas imágenes te quedan
            de     | Diese Community erlaubt den Begriff „forbidden“ in Prompts nicht. | Du hast deine 25 Bilder für heute schon genutzt; das nächste gibt es wieder in 3 h 12 min. | Details | **Format:** 16:9 | zeigt, wie viele Bilder du noch machen kannst
            fr     | Cette communauté n’autorise pas le terme « forbidden » dans les prompts. | Tu as utilisé tes 25 images pour aujourd’hui ; la prochaine revient dans 3 h 12 min. | Détails | **Format:** 16:9 | montre combien d’images il te reste
            pt-BR  | Esta comunidade não permite o termo "forbidden" nos prompts. | Você já usou suas 25 imagens de hoje; a próxima volta em 3 h 12 min. | Detalhes | **Proporção:** 16:9 | mostra quantas imagens você ainda pode fazer
            ru     | В этом сообществе слово «forbidden» в промптах запрещено. | Вы уже использовали свои 25 изображений на сегодня; следующее вернётся через 3 часа 12 минут. | Подробнее | **Формат:** 16:9 | показывает, сколько изображений ещё можно сделать
            ja     | このコミュニティではプロンプトに「forbidden」を使えません。 | 今日の25枚を使い切りました。次の1枚は3時間12分後に戻ります。 | 詳細 | **縦横比:** 16:9 | で、あと何枚作れるか、いつ回復するかがわかります
            """)
    void givenAMemberWhoseClientSpeaksALanguagePictorShips_thenRefusalQuotaWaitDetailsAndHelpAreInIt(
            String locale, String refusal, String quotaWait, String detailsButton, String detailsLine, String help) {
        fake.clientLocale(ALICE, locale);

        // a refusal: the banned term is in place, the prompt is not translated
        FakeInteraction banned = fake.slash(ALICE, "imagine", options("prompt", "a forbidden castle"));
        assertThat(banned.awaitPrivateAnswer().content()).contains(refusal);

        // a result, its buttons in the member's language, and its Details
        FakeMessage result = fake.slash(ALICE, "imagine", options("prompt", "a red fox in fresh snow", "aspect", "16:9", "seed", 42))
                .awaitImages();
        assertThat(result.content()).contains("a red fox in fresh snow");
        rig.awaitClosed(result);
        FakeInteraction details = fake.click(ALICE, result, result.button(detailsButton));
        assertThat(details.awaitPrivateAnswer().content()).contains(detailsLine, "a red fox in fresh snow", "42");

        // /help
        assertThat(fake.slash(ALICE, "help", Map.of()).awaitPrivateAnswer().content()).contains(help, "/imagine", "imagen-4");

        // a quota wait
        rig.quota.use(dailyLimitSpent());
        FakeInteraction spent = fake.slash(ALICE, "imagine", options("prompt", "a lighthouse"));
        assertThat(spent.awaitPrivateAnswer().content()).contains(quotaWait);
    }

    @Test
    void givenAMemberWhoseLanguageIsNotShipped_thenTheServersLanguage_andOutsideAServerTheBots() {
        fake.clientLocale(ALICE, "ko");

        assertThat(fake.slash(ALICE, "help", Map.of()).awaitPrivateAnswer().content())
                .as("the first server's admins chose Japanese").contains("で、あと何枚作れるか");
        assertThat(fake.slashInSecondGuild(ALICE, "help", Map.of()).awaitPrivateAnswer().content())
                .as("the second server chose nothing: the bot's German").contains("zeigt, wie viele Bilder du noch machen kannst");
        assertThat(fake.slashInDm(ALICE, "help", Map.of()).awaitPrivateAnswer().content())
                .as("a DM has no server: the bot's German").contains("zeigt, wie viele Bilder du noch machen kannst");
    }

    @Test
    void theCommandsAreDescribedInEveryShippedLanguage_withTheirNamesUnchanged_asDiscordsSpecAllows() {
        JsonNode commands = fake.awaitCommands("global");
        JsonNode imagine = null, pictor = null;
        for (JsonNode c : commands) {
            if (c.path("name").asText().equals("imagine")) imagine = c;
            if (c.path("name").asText().equals("pictor")) pictor = c;
        }
        assertThat(imagine).isNotNull();
        JsonNode described = imagine.path("description_localizations");
        assertThat(described.path("es-ES").asText()).isEqualTo("Crea imágenes a partir de un prompt");
        assertThat(described.path("es-419").asText()).isEqualTo("Crea imágenes a partir de un prompt");
        assertThat(described.path("de").asText()).isEqualTo("Bilder aus einem Prompt machen");
        assertThat(described.path("fr").asText()).isEqualTo("Créer des images à partir d’un prompt");
        assertThat(described.path("pt-BR").asText()).isEqualTo("Crie imagens a partir de um prompt");
        assertThat(described.path("ru").asText()).isEqualTo("Создать изображения по промпту");
        assertThat(described.path("ja").asText()).isEqualTo("プロンプトから画像を作ります");
        assertThat(described.has("en-US")).as("English is the command's own description").isFalse();
        assertThat(imagine.path("description").asText()).isEqualTo("Make images from a prompt");

        var optionNames = new ArrayList<String>();
        for (JsonNode o : imagine.path("options")) {
            optionNames.add(o.path("name").asText());
            assertThat(o.path("description_localizations").path("de").asText()).as(o.path("name").asText()).isNotBlank();
            assertThat(o.has("name_localizations") && !o.path("name_localizations").isEmpty()).isFalse();
        }
        assertThat(optionNames).containsExactly("prompt", "model", "aspect", "count", "seed", "enhance");
        assertThat(imagine.has("name_localizations") && !imagine.path("name_localizations").isEmpty())
                .as("/imagine is typed the same in every language").isFalse();
        JsonNode prompt = imagine.path("options").get(0).path("description_localizations");
        assertThat(prompt.path("ru").asText()).startsWith("Что вы хотите увидеть. Здесь работают и --");
        assertThat(pictor.path("options").get(0).path("options").get(0).path("description_localizations").path("ja").asText())
                .isEqualTo("メンバー");
        // FakeDiscord checked every localization against Discord's rules (locales, lengths); the extension fails on a violation
        assertThat(fake.violations()).isEmpty();
    }
}
