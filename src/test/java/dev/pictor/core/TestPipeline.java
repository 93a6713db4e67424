package dev.pictor.core;

import dev.pictor.core.port.ProviderException;
import dev.pictor.core.port.ImageFetcher;
import dev.pictor.core.port.ImageProvider;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.JobObserver;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.SpendPort;
import dev.pictor.testing.CallerThreadExecutor;
import dev.pictor.testing.MemoryLedger;
import dev.pictor.testing.MemoryQuota;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The one way tests build the generation pipeline ({@link GenerationService}): every part has a default a test
 * rarely cares about, and a test names only what its story is about.
 *
 * <p>Defaults: unlimited quota in memory, no spend caps, a ledger in memory, no providers, a fetcher that refuses every URL, one
 * attempt per route without waiting, the system clock, random ids, jobs run on the caller's thread, no observer, real
 * sleeps between attempts, the heap's image memory.
 */
public final class TestPipeline {
    private QuotaPort quota = MemoryQuota.unlimited();
    private SpendPort spend = SpendPort.NONE;
    private JobLedger ledger = new MemoryLedger();
    private ProviderSlots providers = new ProviderSlots();
    private ImageFetcher fetcher = url -> {
        throw new ProviderException(ProviderException.Kind.REJECTED, "this test's pipeline fetches no image URLs");
    };
    private RetryPolicy retry = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    private Clock clock = Clock.systemUTC();
    private Supplier<String> ids = () -> UUID.randomUUID().toString();
    private ExecutorService executor = new CallerThreadExecutor();
    private JobObserver observer = JobObserver.NONE;
    private Sleeper sleeper = Sleeper.REAL;
    private ImageMemory memory = ImageMemory.forHeap();

    private TestPipeline() {
    }

    public static TestPipeline pipeline() {
        return new TestPipeline();
    }

    public TestPipeline quota(QuotaPort quota) {
        this.quota = quota;
        return this;
    }

    /** The daily spend caps (default: none). */
    public TestPipeline spend(SpendPort spend) {
        this.spend = spend;
        return this;
    }

    public TestPipeline ledger(JobLedger ledger) {
        this.ledger = ledger;
        return this;
    }

    public TestPipeline providers(ProviderSlots providers) {
        this.providers = providers;
        return this;
    }

    /** Adds a provider with {@code slots} calls at once. */
    public TestPipeline provider(ImageProvider provider, int slots) {
        providers.add(provider, slots);
        return this;
    }

    public TestPipeline fetcher(ImageFetcher fetcher) {
        this.fetcher = fetcher;
        return this;
    }

    public TestPipeline retry(RetryPolicy retry) {
        this.retry = retry;
        return this;
    }

    public TestPipeline clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    public TestPipeline ids(Supplier<String> ids) {
        this.ids = ids;
        return this;
    }

    /** Where {@link GenerationService#submit} runs jobs ({@link GenerationService#drain} shuts it down). */
    public TestPipeline executor(ExecutorService executor) {
        this.executor = executor;
        return this;
    }

    public TestPipeline observer(JobObserver observer) {
        this.observer = observer;
        return this;
    }

    /** What waits between attempts (a test records the waits instead of sleeping). */
    TestPipeline sleeper(Sleeper sleeper) {
        this.sleeper = sleeper;
        return this;
    }

    TestPipeline memory(ImageMemory memory) {
        this.memory = memory;
        return this;
    }

    public GenerationService build() {
        return new GenerationService(quota, spend, ledger, providers, fetcher, retry, sleeper, clock, ids, executor, observer, memory);
    }
}
