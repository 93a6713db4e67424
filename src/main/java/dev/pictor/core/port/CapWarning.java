package dev.pictor.core.port;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * A community passed 80 % of its daily spend cap for the first time today (told once per community per day, after
 * the commit that passed it).
 *
 * @param community the community's key, {@code discord:1234} or {@code telegram:-1001}
 * @param jobId     the job whose reservation or settlement passed it
 * @param spent     what the community has reserved or spent today, in {@code currency}
 * @param cap       its daily cap, in {@code currency}
 * @param resetsIn  how long until the cap's day ends
 */
public record CapWarning(String community, String jobId, BigDecimal spent, BigDecimal cap, String currency,
                         Duration resetsIn) {
}
