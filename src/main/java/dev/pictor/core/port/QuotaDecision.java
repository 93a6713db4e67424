package dev.pictor.core.port;

import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;

import java.util.List;

/** The quota's answer to a charge: granted on every layer that applies, or denied on all. */
public sealed interface QuotaDecision {
    /** Charged {@code tokens} on each of {@code layers} (e.g. member, community pool); refunds go back there. */
    record Granted(Requester who, int tokens, List<String> layers) implements QuotaDecision {
        public Granted {
            layers = List.copyOf(layers);
        }
    }

    /** Nothing charged; the refusal says which limit and when it refills. */
    record Denied(Refusal refusal) implements QuotaDecision {
    }
}
