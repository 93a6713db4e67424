package dev.pictor.core.chat;

import dev.pictor.core.Platform;
import java.util.Locale;

import dev.pictor.core.GenerationService;
import dev.pictor.core.ImagineRequest;
import dev.pictor.core.JobStatus;
import dev.pictor.core.ModelCapabilities;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.ModelSpec;
import dev.pictor.core.OptionParser;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.Requester;
import dev.pictor.core.Route;
import dev.pictor.core.TestPipeline;
import dev.pictor.core.port.JobPost;
import dev.pictor.core.port.JobView;
import dev.pictor.testing.CallerThreadExecutor;
import dev.pictor.testing.MemoryLedger;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.RejectedExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** The use cases every platform shares, and the drifts between the adapters decided once. */
class ChatTest {
    private static final Requester ALICE = new Requester(Platform.TELEGRAM, "1", "Alice", "-100", "main", null);
    private static final Requester BOB = new Requester(Platform.TELEGRAM, "2", "Bob", "-100", "main", null);

    private final Map<String, JobView> jobs = new HashMap<>();
    private final MemoryLedger ledger = new MemoryLedger() {
        @Override
        public Optional<JobView> find(String jobId) {
            return Optional.ofNullable(jobs.get(jobId));
        }
    };

    private static ModelSpec model(String id, boolean seed, boolean enhance) {
        return new ModelSpec(id, id, new ModelCapabilities(List.of("1:1", "16:9"), 4, seed, 400, enhance),
                List.of(new Route("a", id)));
    }

    private Chat chat(ModelSpec... models) {
        return chat(null, models);
    }

    private Chat chat(GenerationService generation, ModelSpec... models) {
        var catalog = new ModelCatalog(List.of(models), models[0].id());
        return new ChatServices(generation, new OptionParser(), new RequestValidator(catalog, List.of()), catalog,
                null, ledger, null, null, null, new SplittableRandom(3)).chat();
    }

    /** A finished job of {@code who}'s, posted as message 10 (and 11) in chat -100. */
    private JobView job(String id, Requester who, ModelSpec model, boolean enhance, int delivered) {
        var request = new ImagineRequest(who, "a red fox", model, "16:9", 2, 42L, enhance);
        var view = new JobView(id, request, JobStatus.SUCCEEDED, "a", model.id(), delivered, 42L, null,
                Instant.EPOCH, Instant.EPOCH.plusSeconds(5), List.of(new JobPost("-100", "10", 1), new JobPost("-100", "11", 1)));
        jobs.put(id, view);
        return view;
    }

    private static Press press(String jobId, Requester presser, String message, boolean moderator) {
        return new Press(jobId, "-100", message, presser.platform(), presser.userId(), moderator);
    }

    @Test
    void givenAnEnhancedJob_whenAnAdminSwitchedTheModelsEnhanceOff_thenReRollStillRunsWithoutEnhance() {
        // the drift: Discord asked for enhance=TRUE (refused, "leave enhance off", which a button cannot do);
        // Telegram asked for the model's default. Decided: the model's default.
        job("j1", ALICE, model("flux", true, true), true, 2);
        Chat chat = chat(model("flux", true, false));

        ButtonResult result = chat.reroll(press("j1", BOB, "10", false), BOB);

        assertThat(result).isInstanceOf(ButtonResult.Reroll.class);
        assertThat(((ButtonResult.Reroll) result).request().enhance()).isFalse();
    }

    @Test
    void givenAnEnhancedJob_whenReRolled_thenEnhanceStaysOn() {
        ModelSpec flux = model("flux", true, true);
        job("j1", ALICE, flux, true, 2);

        var result = (ButtonResult.Reroll) chat(flux).reroll(press("j1", BOB, "10", false), BOB);

        assertThat(result.request().enhance()).isTrue();
    }

    @Test
    void givenAJobMadeWithoutEnhance_whenReRolled_thenEnhanceStaysOff() {
        ModelSpec flux = model("flux", true, true);
        job("j1", ALICE, flux, false, 2);

        var result = (ButtonResult.Reroll) chat(flux).reroll(press("j1", BOB, "10", false), BOB);

        assertThat(result.request().enhance()).isFalse();
    }

    @Test
    void givenAModelThatTakesSeeds_whenReRolled_thenTheSameRequestWithANewSeedIsChargedToThePresser() {
        ModelSpec flux = model("flux", true, true);
        job("j1", ALICE, flux, true, 2);

        var request = ((ButtonResult.Reroll) chat(flux).reroll(press("j1", BOB, "10", false), BOB)).request();

        assertThat(request.requester()).isEqualTo(BOB);
        assertThat(request.prompt()).isEqualTo("a red fox");
        assertThat(request.aspect()).isEqualTo("16:9");
        assertThat(request.count()).isEqualTo(2);
        assertThat(request.seed()).isNotNull().isNotEqualTo(42L).isBetween(0L, OptionParser.MAX_SEED);
    }

    @Test
    void givenAModelWithoutSeeds_whenReRolled_thenNoSeedIsSent() {
        ModelSpec tiny = model("tiny", false, false);
        job("j1", ALICE, tiny, false, 2);

        var request = ((ButtonResult.Reroll) chat(tiny).reroll(press("j1", BOB, "10", false), BOB)).request();

        assertThat(request.seed()).isNull();
    }

    @Test
    void givenAModelRemovedSinceTheJob_whenReRolled_thenRefusedAsANewRequestWouldBe() {
        job("j1", ALICE, model("old", true, true), true, 2);

        ButtonResult result = chat(model("flux", true, true)).reroll(press("j1", BOB, "10", false), BOB);

        assertThat(result).isInstanceOfSatisfying(ButtonResult.Refused.class,
                r -> assertThat(r.refusal().message(Locale.ENGLISH)).contains("There is no model"));
    }

    @Test
    void givenAButtonCopiedOntoAnotherMessage_whenAnyButtonIsPressed_thenTheJobIsGoneForIt() {
        ModelSpec flux = model("flux", true, true);
        job("j1", ALICE, flux, true, 2);
        Chat chat = chat(flux);
        Press forged = press("j1", ALICE, "99", true); // even the asker, even a moderator

        assertThat(chat.reroll(forged, ALICE)).isInstanceOf(ButtonResult.Gone.class);
        assertThat(chat.details(forged)).isInstanceOf(ButtonResult.Gone.class);
        assertThat(chat.delete(forged)).isInstanceOf(ButtonResult.Gone.class);
    }

    @Test
    void givenAButtonInAnotherChat_whenPressed_thenTheJobIsGoneForIt() {
        ModelSpec flux = model("flux", true, true);
        job("j1", ALICE, flux, true, 2);

        var elsewhere = new Press("j1", "-200", "10", Platform.TELEGRAM, "1", false);

        assertThat(chat(flux).details(elsewhere)).isInstanceOf(ButtonResult.Gone.class);
    }

    @Test
    void givenAJobTheLedgerNoLongerHas_whenDetailsIsPressed_thenGone() {
        assertThat(chat(model("flux", true, true)).details(press("nope", ALICE, "10", false)))
                .isInstanceOf(ButtonResult.Gone.class);
    }

    @Test
    void givenItsOwnPost_whenDetailsIsPressed_thenTheRecordedJob() {
        ModelSpec flux = model("flux", true, true);
        JobView job = job("j1", ALICE, flux, true, 2);

        var shown = (ButtonResult.Details) chat(flux).details(press("j1", BOB, "11", false));

        assertThat(shown.details()).isEqualTo(JobDetails.of(job));
        assertThat(shown.details().jobId()).isEqualTo("j1");
        assertThat(shown.details().seed()).isEqualTo(42L);
        assertThat(shown.details().took()).isEqualTo(java.time.Duration.ofSeconds(5));
    }

    @Test
    void givenARunningJobWithABlankRewriteAndNoProviderYet_whenItsDetailsAreRead_thenNoRewriteNoProviderAndNoDuration() {
        var request = new ImagineRequest(ALICE, "a red fox", model("flux", true, true), "1:1", 1, null, true);
        var running = new JobView("j2", request, JobStatus.RUNNING, null, "stale-model", 0, null, "  ",
                Instant.EPOCH, null);

        JobDetails details = JobDetails.of(running);

        assertThat(details.revisedPrompt()).isNull();
        assertThat(details.provider()).isNull();
        assertThat(details.providerModel()).isNull();
        assertThat(details.seed()).isNull();
        assertThat(details.took()).isNull();
    }

    @Test
    void givenTheAsker_whenDeleteIsPressed_thenEveryPostOfTheJobInThatChatGoes() {
        ModelSpec flux = model("flux", true, true);
        job("j1", ALICE, flux, true, 2);

        ButtonResult result = chat(flux).delete(press("j1", ALICE, "11", false));

        assertThat(result).isInstanceOfSatisfying(ButtonResult.Delete.class,
                d -> assertThat(d.messages()).containsExactly("10", "11"));
    }

    @Test
    void givenAnotherMember_whenDeleteIsPressed_thenNotYours() {
        ModelSpec flux = model("flux", true, true);
        job("j1", ALICE, flux, true, 2);

        assertThat(chat(flux).delete(press("j1", BOB, "10", false))).isInstanceOf(ButtonResult.NotYours.class);
    }

    @Test
    void givenAModerator_whenDeleteIsPressed_thenAllowed() {
        ModelSpec flux = model("flux", true, true);
        job("j1", ALICE, flux, true, 2);

        assertThat(chat(flux).delete(press("j1", BOB, "10", true))).isInstanceOf(ButtonResult.Delete.class);
    }

    @Test
    void givenTheSameUserIdOnAnotherPlatform_whenDeleteIsPressed_thenNotYours() {
        ModelSpec flux = model("flux", true, true);
        job("j1", ALICE, flux, true, 2);

        var sameIdOnDiscord = new Press("j1", "-100", "10", Platform.DISCORD, ALICE.userId(), false);

        assertThat(chat(flux).delete(sameIdOnDiscord)).isInstanceOf(ButtonResult.NotYours.class);
    }

    @Test
    void givenRepairedJobsOfSeveralBots_whenOneBotAsksWhomToTell_thenOnlyItsOwnMembersWhoseImagesWereNotAllPosted() {
        ModelSpec flux = model("flux", true, true);
        JobView half = job("half", ALICE, flux, true, 1);
        JobView none = job("none", new Requester(Platform.TELEGRAM, "3", "Cy", null, "main", null), flux, true, 0);
        JobView all = job("all", ALICE, flux, true, 2);
        JobView otherProfile = job("other", new Requester(Platform.TELEGRAM, "4", "Di", null, "second", null), flux, true, 0);
        JobView otherPlatform = job("discord", new Requester(Platform.DISCORD, "5", "Ed", "g", "main", null), flux, true, 0);

        List<RestartNotice> notices = chat(flux).restartNotices(List.of(half, none, all, otherProfile, otherPlatform),
                Platform.TELEGRAM, "main");

        assertThat(notices).extracting(RestartNotice::job).containsExactly(half, none);
        assertThat(notices.get(0).chat()).isEqualTo("-100"); // asked in the group: told there
        assertThat(notices.get(1).chat()).isEqualTo("3");    // asked in private: told there
        assertThat(notices.get(0).outcome().english()).isEqualTo("1 of your 2 images had already been posted; the other 1 was not charged.");
        assertThat(notices.get(1).outcome().english()).isEqualTo("Nothing was charged; please ask again with /imagine.");
    }

    @Test
    void givenACoreWithNoRoomLeft_whenARequestIsSubmitted_thenBusyOnEveryPlatform() {
        // the drift: Discord said "busy", Telegram said "restarting" for the same full executor. Decided: busy
        // (a core that is stopping answers "restarting" itself, through the delivery).
        var full = TestPipeline.pipeline().ledger(ledger).ids(() -> "id").executor(new CallerThreadExecutor() {
            @Override
            public void execute(Runnable task) {
                throw new RejectedExecutionException("full");
            }
        }).build();
        ModelSpec flux = model("flux", true, true);
        Chat chat = chat(full, flux);
        var request = new ImagineRequest(ALICE, "a red fox", flux, "1:1", 1, null, true);

        assertThat(chat.submit(request, null)).isInstanceOf(Submitted.Busy.class);
        assertThat(ChatText.busy().english()).contains("handling a lot of requests", "Nothing was charged");
    }

    @Test
    void givenATypedCommand_whenChecked_thenParsedAndValidatedForTheMember() {
        Chat chat = chat(model("flux", true, true));

        assertThat(chat.check(ALICE, "a fox --ar 16:9 --n 2").isOk()).isTrue();
        assertThat(chat.check(ALICE, "a fox --ar 5:1").isOk()).isFalse();
    }
}
