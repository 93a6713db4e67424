package dev.pictor.core.chat;

import dev.pictor.core.GenerationService;
import dev.pictor.core.ModelCatalog;
import dev.pictor.core.OptionParser;
import dev.pictor.core.RequestValidator;
import dev.pictor.core.port.AdminPort;
import dev.pictor.core.port.JobLedger;
import dev.pictor.core.port.QuotaPort;
import dev.pictor.core.port.StatsPort;
import dev.pictor.core.port.UpdateInbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What every chat bot (Discord, Telegram) is handed from the rest of pictor, built once by the composition root.
 *
 * @param admin the quota's admin operations behind the admin commands; null leaves those commands out
 * @param inbox where a polling bot records the updates it received (Telegram); null for a bot that needs none
 * @param clock null is the system clock (UTC)
 * @param seeds where Re-roll draws its new seed from; null is a {@link SecureRandom}
 * @param languages which language each member is answered in; null: theirs when shipped, else English
 * @param stats     the figures behind the admins' stats commands; null leaves those commands out
 * @param notices   where the admins' commands are recorded and what they are told unasked (the spend warning);
 *                  null: {@link AdminNotices#NONE}
 */
public record ChatServices(GenerationService generation, OptionParser parser, RequestValidator validator,
                           ModelCatalog catalog, QuotaPort quota, JobLedger ledger, AdminPort admin,
                           UpdateInbox inbox, Clock clock, RandomGenerator seeds, LanguageChoice languages,
                           StatsPort stats, AdminNotices notices) {
    public ChatServices {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(ledger, "ledger");
        clock = clock == null ? Clock.systemUTC() : clock;
        seeds = seeds == null ? new SecureRandom() : seeds;
        languages = languages == null ? LanguageChoice.MEMBERS_OR_ENGLISH : languages;
        notices = notices == null ? AdminNotices.NONE : notices;
    }

    /** Services whose admins are told nothing unasked. */
    public ChatServices(GenerationService generation, OptionParser parser, RequestValidator validator,
                        ModelCatalog catalog, QuotaPort quota, JobLedger ledger, AdminPort admin,
                        UpdateInbox inbox, Clock clock, RandomGenerator seeds, LanguageChoice languages,
                        StatsPort stats) {
        this(generation, parser, validator, catalog, quota, ledger, admin, inbox, clock, seeds, languages, stats, null);
    }

    /** Services without the stats commands. */
    public ChatServices(GenerationService generation, OptionParser parser, RequestValidator validator,
                        ModelCatalog catalog, QuotaPort quota, JobLedger ledger, AdminPort admin,
                        UpdateInbox inbox, Clock clock, RandomGenerator seeds, LanguageChoice languages) {
        this(generation, parser, validator, catalog, quota, ledger, admin, inbox, clock, seeds, languages, null, null);
    }

    /** Services with no community or bot default language (each member's own when shipped, else English). */
    public ChatServices(GenerationService generation, OptionParser parser, RequestValidator validator,
                        ModelCatalog catalog, QuotaPort quota, JobLedger ledger, AdminPort admin,
                        UpdateInbox inbox, Clock clock, RandomGenerator seeds) {
        this(generation, parser, validator, catalog, quota, ledger, admin, inbox, clock, seeds, null, null, null);
    }

    /** The use cases every platform shares, on these services. */
    public Chat chat() {
        return new Chat(this);
    }
}
