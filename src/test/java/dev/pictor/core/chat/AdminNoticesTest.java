package dev.pictor.core.chat;

import dev.pictor.core.Platform;
import dev.pictor.core.Requester;
import dev.pictor.core.port.AdminChats;
import dev.pictor.core.port.CapWarning;
import dev.pictor.core.port.CommunityLanguages;
import dev.pictor.core.port.JobChat;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Where and in which language a community's admins are told it passed 80 % of its daily spend cap. */
class AdminNoticesTest {
    /** Admin chats in memory, each record one second after the last. */
    static final class Chats implements AdminChats {
        final Map<String, Place> places = new HashMap<>();
        Instant now = Instant.parse("2026-12-02T00:00:00Z");

        @Override
        public void record(String scope, String profile, String chat) {
            now = now.plusSeconds(1);
            places.put(scope, new Place(profile, chat, now));
        }

        @Override
        public Optional<Place> find(String scope) {
            return Optional.ofNullable(places.get(scope));
        }
    }

    final Chats chats = new Chats();
    final List<String> posted = new ArrayList<>();
    final Map<String, JobChat> running = new HashMap<>();
    final Map<String, Locale> chosen = new HashMap<>();
    final CommunityLanguages languages = (platform, community) -> Optional.ofNullable(chosen.get(platform.id() + ":" + community));
    final AdminNotices notices = new AdminNotices(chats, new LanguageChoice(Map.of("tg", Locale.GERMAN), languages), Runnable::run,
            id -> Optional.ofNullable(running.get(id)));

    AdminNoticesTest() {
        notices.poster(Platform.TELEGRAM, "tg", (chat, text) -> posted.add("tg " + chat + ": " + text));
        notices.poster(Platform.DISCORD, "dc", (chat, text) -> posted.add("dc " + chat + ": " + text));
    }

    static CapWarning warning(String community, String job) {
        return new CapWarning(community, job, new BigDecimal("4.00"), new BigDecimal("5.00"), "USD", Duration.ofHours(3));
    }

    void running(String job, Platform platform, String community, String profile, String chat) {
        running.put(job, new JobChat(new Requester(platform, "42", "Bob", community, profile, null), chat));
    }

    @Test
    void telegram_theLaterOfTheGroupAndAnAdminsPrivateChat_wins_inTheGroupsLanguageElseTheBots() {
        running("j1", Platform.TELEGRAM, "-100", "tg", "-100");
        notices.adminCommandDone(Platform.TELEGRAM, "tg", "-100", "-100");
        notices.adminCommandDone(Platform.TELEGRAM, "tg", null, "900"); // an admin's private chat, later

        notices.capPassed(warning("telegram:-100", "j1"));

        assertThat(posted).singleElement().asString().startsWith("tg 900: Hinweis für die Admins dieser Gruppe")
                .contains("4,00 USD", "5,00 USD", "in 3 h zurücksetzt");

        posted.clear();
        chosen.put("telegram:-100", Locale.ENGLISH);
        notices.adminCommandDone(Platform.TELEGRAM, "tg", "-100", "-100"); // the group again, later still
        notices.capPassed(warning("telegram:-100", "j1"));
        assertThat(posted).singleElement().asString().startsWith("tg -100: Heads-up for this group's admins");
    }

    @Test
    void anotherCommunitysAdminChat_isNeverUsed_andWithNoneADiscordServersSpendIsOnlyLogged() {
        running("j1", Platform.DISCORD, "g1", "dc", "c-general");
        notices.adminCommandDone(Platform.DISCORD, "dc", "g2", "c-other-server");

        notices.capPassed(warning("discord:g1", "j1"));

        // not in the other server's admin channel, and not in the members' channel of the job either
        assertThat(posted).isEmpty();
    }

    @Test
    void aPostThatFails_isOnlyLogged_andANotRunningBotPostsNothing() {
        running("j1", Platform.DISCORD, "g1", "dc", "c-general");
        var failing = new AdminNotices(chats, LanguageChoice.MEMBERS_OR_ENGLISH, Runnable::run, id -> Optional.ofNullable(running.get(id)));
        failing.poster(Platform.DISCORD, "dc", (chat, text) -> {
            throw new IllegalStateException("Discord said no");
        });
        failing.capPassed(warning("discord:g1", "j1")); // no exception

        running("j2", Platform.DISCORD, "g1", "other-bot", "c-general");
        notices.capPassed(warning("discord:g1", "j2"));
        assertThat(posted).isEmpty();
    }
}
