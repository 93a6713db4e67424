package dev.pictor.telegram;

import dev.pictor.core.LimitSpec;
import dev.pictor.core.Platform;
import dev.pictor.core.QuotaSpent;
import dev.pictor.core.Requester;
import dev.pictor.core.chat.LanguageChoice;
import dev.pictor.core.port.QuotaDecision;
import dev.pictor.core.text.Languages;
import dev.pictor.telegram.fake.FakeTelegram.Chat;
import dev.pictor.telegram.fake.FakeTelegram.Sent;
import dev.pictor.telegram.fake.FakeTelegram.User;
import dev.pictor.testing.MemoryQuota;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member reads pictor in their Telegram client's language ({@code from.language_code}): refusals, quota waits,
 * Details and /help, with the arguments in place. A member whose language pictor does not ship reads the group's
 * language, and in a private chat the bot's.
 */
class TelegramLanguagesTest {
    static final User ALICE = new User(101, "Alice", "alice");
    /** Bob's daily 25 are spent: the next comes back in 3 h 12 min. */
    static final User BOB = new User(102, "Bob", "bob");
    static final Chat GROUP = Chat.group(-1001234, "Painters");
    static TelegramHarness h;

    @BeforeAll
    static void start() throws Exception {
        var quota = new MemoryQuota(Integer.MAX_VALUE / 2) {
            @Override
            public synchronized QuotaDecision charge(Requester who, int images) {
                if (!who.userId().equals(Long.toString(BOB.id()))) return super.charge(who, images);
                return new QuotaDecision.Denied(new QuotaSpent(QuotaSpent.Holder.MEMBER, Platform.TELEGRAM,
                        LimitSpec.parse("25/1d"), 0, images, Duration.ofMinutes(192)).refusal());
            }
        };
        h = new TelegramHarness(quota, 4);
        // the group's admins chose Russian; the bot profile says French
        h.languages = new LanguageChoice(Map.of(TelegramHarness.PROFILE, Languages.FRENCH),
                (platform, community) -> community.equals(Long.toString(GROUP.id())) ? Optional.of(Languages.RUSSIAN) : Optional.empty());
        h.start();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            en    | This community does not allow the term "forbidden" in prompts. | You have used your 25 images for today; the next one comes back in 3 h 12 min. | Details | Aspect: 16:9 | /quota — how many images you may still make
            es    | Esta comunidad no permite el término "forbidden" en los prompts. | Ya usaste tus 25 imágenes de hoy; la próxima vuelve en 3 h 12 min. | Detalles | Proporción: 16:9 | /quota: cuántas imágenes te quedan
            de    | Diese Community erlaubt den Begriff „forbidden“ in Prompts nicht. | Du hast deine 25 Bilder für heute schon genutzt; das nächste gibt es wieder in 3 h 12 min. | Details | Format: 16:9 | /quota – wie viele Bilder du noch machen kannst
            fr    | Cette communauté n’autorise pas le terme « forbidden » dans les prompts. | Tu as utilisé tes 25 images pour aujourd’hui ; la prochaine revient dans 3 h 12 min. | Détails | Format: 16:9 | /quota — combien d’images il te reste
            pt-br | Esta comunidade não permite o termo "forbidden" nos prompts. | Você já usou suas 25 imagens de hoje; a próxima volta em 3 h 12 min. | Detalhes | Proporção: 16:9 | /quota — quantas imagens você ainda pode fazer
            ru    | В этом сообществе слово «forbidden» в промптах запрещено. | Вы уже использовали свои 25 изображений на сегодня; следующее вернётся через 3 часа 12 минут. | Подробнее | Формат: 16:9 | /quota — сколько изображений ещё можно сделать
            ja    | このコミュニティではプロンプトに「forbidden」を使えません。 | 今日の25枚を使い切りました。次の1枚は3時間12分後に戻ります。 | 詳細 | 縦横比: 16:9 | /quota — あと何枚作れるか
            """)
    void givenAMemberWhoseClientSpeaksALanguagePictorShips_thenRefusalQuotaWaitDetailsAndHelpAreInIt(
            String code, String refusal, String quotaWait, String detailsButton, String detailsLine, String help) {
        User alice = ALICE.speaking(code);
        Chat dm = Chat.privateWith(alice);

        // a refusal: the banned term is in place, the prompt is not translated
        int banned = h.telegram.says(dm, alice, "/imagine a forbidden castle");
        assertThat(h.telegram.awaitBotMessage(dm.id(), m -> m.replyTo != null && m.replyTo == banned).text).contains(refusal);

        // a picture, its buttons in her language, and its Details
        int closedBefore = h.ledger.closed.size();
        int asked = h.telegram.says(dm, alice, "/imagine a red fox in fresh snow --ar 16:9 --seed 42");
        Sent photo = h.telegram.awaitBotMessage(dm.id(), m -> m.kind.equals("photo") && m.replyTo != null && m.replyTo == asked);
        assertThat(photo.caption).startsWith("a red fox in fresh snow");
        h.awaitJobsClosed(closedBefore + 1);
        String press = h.telegram.presses(alice, photo, photo.button(detailsButton));
        h.telegram.awaitAnswer(press);
        Sent details = h.telegram.awaitBotMessage(dm.id(), m -> m.kind.equals("text") && m.replyTo != null
                && m.replyTo == photo.messageId && m.text.contains(detailsLine));
        assertThat(details.text).contains("a red fox in fresh snow", "42");

        // /help
        int helpAsked = h.telegram.says(dm, alice, "/help");
        assertThat(h.telegram.awaitBotMessage(dm.id(), m -> m.replyTo != null && m.replyTo == helpAsked).text)
                .contains(help, "/imagine", "imagen-4");

        // a quota wait (Bob's allowance is spent)
        User bob = BOB.speaking(code);
        Chat bobDm = Chat.privateWith(bob);
        int spent = h.telegram.says(bobDm, bob, "/imagine a lighthouse");
        assertThat(h.telegram.awaitBotMessage(bobDm.id(), m -> m.replyTo != null && m.replyTo == spent).text).contains(quotaWait);
    }

    @Test
    void givenAMemberWhoseLanguageIsNotShipped_thenTheGroupsLanguage_andInAPrivateChatTheBots() {
        User alice = ALICE.speaking("ko");

        int inGroup = h.telegram.says(GROUP, alice, "/help@" + dev.pictor.telegram.fake.FakeTelegram.BOT_USERNAME);
        assertThat(h.telegram.awaitBotMessage(GROUP.id(), m -> m.replyTo != null && m.replyTo == inGroup).text)
                .as("the group's admins chose Russian").contains("/quota — сколько изображений ещё можно сделать");
        Chat dm = Chat.privateWith(alice);
        int inDm = h.telegram.says(dm, alice, "/help");
        assertThat(h.telegram.awaitBotMessage(dm.id(), m -> m.replyTo != null && m.replyTo == inDm).text)
                .as("a private chat has no group: the bot's French").contains("/quota — combien d’images il te reste");
    }

    @Test
    void theCommandMenuIsRegisteredInEveryShippedLanguage() {
        var calls = h.telegram.calls("setMyCommands");
        assertThat(calls).extracting(c -> c.param("language_code")).containsExactly(null, "en", "es", "de", "fr", "pt", "ru", "ja");
        assertThat(calls.getFirst().params().get("commands").toString()).as("everyone else: the bot's French")
                .contains("Combien d’images il te reste");
        assertThat(calls.get(6).params().get("commands").toString()).contains("Сколько изображений ещё можно сделать");
        assertThat(h.telegram.violations()).isEmpty();
    }
}
