package dev.pictor.core;

import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.JobView;
import dev.pictor.core.port.QuotaDecision;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static dev.pictor.core.CoreFixtures.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

class JobRepairTest {
    private static final Instant ASKED = Instant.parse("2026-03-10T20:48:00Z");
    private static final Instant RESTARTED = Instant.parse("2026-03-10T20:49:30Z");

    private static JobRepair.Interrupted interrupted(int asked, int delivered, int charged, int refunded, List<String> layers) {
        var request = new ImagineRequest(ALICE, "a red fox in snow", CoreFixtures.catalog().defaultModel(), "16:9",
                asked, 42L, false);
        var posts = java.util.stream.IntStream.range(0, delivered).mapToObj(i -> new JobPost("-100", "m" + i, 1)).toList();
        var job = new JobView("j1", request, JobStatus.RUNNING, "aiml", "imagen-4.0", delivered, 42L, "a better fox",
                ASKED, null, posts);
        return new JobRepair.Interrupted(job, asked, charged, refunded, layers);
    }

    @Test
    void a_job_killed_before_anything_was_posted_fails_and_owes_back_its_whole_charge_on_the_layers_it_was_charged_on() {
        var before = interrupted(2, 0, 2, 0, List.of("member", "pool"));

        JobRepair.Ending end = JobRepair.end(before, RESTARTED);

        assertThat(end.status()).isEqualTo(JobStatus.FAILED);
        assertThat(end.owed()).isEqualTo(2);
        assertThat(end.refund()).contains(new QuotaDecision.Granted(ALICE, 2, List.of("member", "pool")));
        assertThat(end.refundedAfter(before)).isEqualTo(2);
        assertThat(end.job().status()).isEqualTo(JobStatus.FAILED);
        assertThat(end.job().finishedAt()).isEqualTo(RESTARTED);
        assertThat(end.job().createdAt()).isEqualTo(ASKED);
    }

    @Test
    void a_job_killed_after_two_of_three_images_were_posted_ends_partial_keeps_its_posts_and_owes_back_only_the_third() {
        var before = interrupted(3, 2, 3, 0, List.of("member"));

        JobRepair.Ending end = JobRepair.end(before, RESTARTED);

        assertThat(end.status()).isEqualTo(JobStatus.PARTIAL);
        assertThat(end.owed()).isEqualTo(1);
        assertThat(end.job().delivered()).isEqualTo(2);
        assertThat(end.job().posts()).extracting(JobPost::message).containsExactly("m0", "m1");
        assertThat(end.job().provider()).isEqualTo("aiml");
        assertThat(end.job().revisedPrompt()).isEqualTo("a better fox");
        assertThat(RepairNotice.outcome(end.job()).english())
                .isEqualTo("2 of your 3 images had already been posted; the other 1 was not charged.");
    }

    @Test
    void a_job_killed_after_every_image_was_posted_succeeds_and_owes_nothing() {
        JobRepair.Ending end = JobRepair.end(interrupted(2, 2, 2, 0, List.of("member")), RESTARTED);

        assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(end.owed()).isZero();
        assertThat(end.refund()).isEmpty();
        assertThat(RepairNotice.needed(end.job())).isFalse();
    }

    @Test
    void what_was_given_back_already_is_not_owed_twice_and_a_job_never_charged_owes_nothing() {
        var halfRefunded = interrupted(3, 0, 3, 1, List.of("member"));
        JobRepair.Ending end = JobRepair.end(halfRefunded, RESTARTED);
        assertThat(end.owed()).isEqualTo(2);
        assertThat(end.refundedAfter(halfRefunded)).isEqualTo(3);

        JobRepair.Ending queued = JobRepair.end(interrupted(1, 0, 0, 0, List.of()), RESTARTED);
        assertThat(queued.status()).isEqualTo(JobStatus.FAILED);
        assertThat(queued.owed()).isZero();
        assertThat(queued.refund()).isEmpty();
    }
}
