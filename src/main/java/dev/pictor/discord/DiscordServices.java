package dev.pictor.discord;

import dev.pictor.core.GenerationService;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.OptionParser;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.QuotaPort;

import java.time.Clock;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What the Discord adapter uses from the rest of pictor, built once by the composition root.
 *
 * @param admin the quota's admin operations behind {@code /pictor}; null leaves the command out
 * @param seeds where Re-roll draws its new seed from
 */
public record DiscordServices(GenerationService generation, OptionParser parser, RequestValidator validator,
                              ModelCatalog catalog, QuotaPort quota, JobLedger ledger, AdminPort admin, Clock clock,
                              RandomGenerator seeds) {
    public DiscordServices {
        Objects.requireNonNull(generation, "generation");
        Objects.requireNonNull(parser, "parser");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(quota, "quota");
        Objects.requireNonNull(ledger, "ledger");
        clock = clock == null ? Clock.systemUTC() : clock;
        seeds = seeds == null ? new java.security.SecureRandom() : seeds;
    }
}
