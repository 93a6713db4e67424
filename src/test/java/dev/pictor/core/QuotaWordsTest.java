package dev.pictor.core;

import dev.pictor.core.port.QuotaView;
import dev.pictor.core.text.Messages;
import dev.pictor.core.text.QuotaSummary;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What members read about their quota, rendered by the catalog in English: waits, refusals, the /quota summary. */
class QuotaWordsTest {
    private static String wait(Duration d) {
        return Messages.duration(Locale.ENGLISH, d);
    }

    @Test
    void waits_read_like_a_person_would_say_them() {
        assertThat(wait(Duration.ofMillis(1))).isEqualTo("1 s");
        assertThat(wait(Duration.ofSeconds(45))).isEqualTo("45 s");
        assertThat(wait(Duration.ofSeconds(200))).isEqualTo("3 min 20 s");
        assertThat(wait(Duration.ofMinutes(12).plusSeconds(1))).isEqualTo("13 min");
        assertThat(wait(Duration.ofMinutes(192))).isEqualTo("3 h 12 min");
        assertThat(wait(Duration.ofHours(3))).isEqualTo("3 h");
        assertThat(wait(Duration.ofMinutes(119).plusSeconds(30))).isEqualTo("2 h");
        assertThat(wait(Duration.ofHours(52))).isEqualTo("2 d 4 h");
    }

    @Test
    void a_spent_limit_says_whose_it_was_and_when_the_next_image_comes_back() {
        var daily = LimitSpec.parse("25/1d");
        assertThat(spent(QuotaSpent.Holder.MEMBER, Platform.DISCORD, daily, 0, 1, Duration.ofMinutes(192)))
                .isEqualTo("You have used your 25 images for today; the next one comes back in 3 h 12 min.");
        assertThat(spent(QuotaSpent.Holder.COMMUNITY, Platform.TELEGRAM, LimitSpec.parse("200/1d"), 0, 1, Duration.ofHours(5)))
                .isEqualTo("This group has used its 200 shared images for today; the next one comes back in 5 h.");
        assertThat(spent(QuotaSpent.Holder.MEMBER, Platform.CLI, LimitSpec.parse("10/6h"), 2, 4, Duration.ofMinutes(30)))
                .isEqualTo("You asked for 4 images but have 2 left for this 6-hour period; ask for 2 or wait 30 min.");
        assertThat(spent(QuotaSpent.Holder.BOT, Platform.DISCORD, LimitSpec.parse("1/1h"), 0, 3, null))
                .isEqualTo("This bot makes at most 1 image per hour; ask for 1 or fewer.");
    }

    @Test
    void a_quota_refusal_travels_as_data_until_it_is_rendered() {
        var refusal = new QuotaSpent(QuotaSpent.Holder.COMMUNITY, Platform.DISCORD, LimitSpec.parse("10/1d"), 1, 2,
                Duration.ofMinutes(192)).refusal();

        assertThat(refusal.reason()).isEqualTo(Refusal.Reason.QUOTA_SPENT);
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofMinutes(192));
        assertThat(refusal.text().args()).containsEntry("platform", "discord").containsEntry("remaining", 1L)
                .containsEntry("asked", 2).containsEntry("wait", Duration.ofMinutes(192));
    }

    @Test
    void the_quota_summary_lists_each_limit_extra_images_and_the_pool() {
        var view = new QuotaView("vip", false, List.of(
                new QuotaView.Limit("5/1m", 5, 5, Duration.ZERO, Duration.ZERO),
                new QuotaView.Limit("100/1d", 100, 40, Duration.ofMinutes(192), Duration.ofMinutes(192))),
                List.of(new QuotaView.Limit("200/1d", 200, 3, Duration.ofHours(2), Duration.ofHours(2))), 7);

        assertThat(QuotaSummary.render(Locale.ENGLISH, view, Platform.DISCORD)).isEqualTo("""
                Your plan: vip
                • 5 per minute: all 5 left
                • 100 per day: 40 left, the next one comes back in 3 h 12 min
                • 7 extra images from an admin, used when your plan runs out
                Shared by this server:
                • 200 per day: 3 left, the next one comes back in 2 h""");
        assertThat(QuotaSummary.line(Locale.ENGLISH, new QuotaView.Limit("3/1m", 3, 1, Duration.ofSeconds(20), Duration.ofSeconds(40))))
                .isEqualTo("3 per minute: 1 left, the next one comes back in 20 s, all in 40 s");
    }

    @Test
    void limits_parse_with_their_unit_and_refuse_anything_else() {
        assertThat(LimitSpec.parse(" 25 / 1d ")).isEqualTo(new LimitSpec(25, 1, 'd'));
        assertThat(LimitSpec.parse("10/h").period()).isEqualTo(Duration.ofHours(1));
        assertThat(LimitSpec.parse("3/1m").allowance()).isFalse();
        assertThat(LimitSpec.parse("25/1d").allowance()).isTrue();
        assertThatThrownBy(() -> LimitSpec.parse("25 per day")).hasMessageContaining("e.g. \"3/1m\"");
        assertThatThrownBy(() -> LimitSpec.parse("0/1d")).hasMessageContaining("at least 1 image");
        assertThatThrownBy(() -> LimitSpec.parse("1/9999d")).hasMessageContaining("at most 3650 days");
    }

    private static String spent(QuotaSpent.Holder holder, Platform platform, LimitSpec limit, long remaining, int asked, Duration wait) {
        return new QuotaSpent(holder, platform, limit, remaining, asked, wait).refusal().message(Locale.ENGLISH);
    }
}
