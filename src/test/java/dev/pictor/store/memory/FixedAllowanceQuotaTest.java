package dev.pictor.store.memory;

import dev.pictor.core.Refusal;
import dev.pictor.core.Requester;
import dev.pictor.core.port.QuotaDecision;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FixedAllowanceQuotaTest {
    private static Map<String, Long> free() {
        var m = new LinkedHashMap<String, Long>();
        m.put("3/1m", 3L);
        m.put("25/1d", 25L);
        return m;
    }

    private final Requester ann = Requester.of("cli", "ann");
    private final Requester bob = Requester.of("cli", "bob");

    @Test
    void charges_every_limit_and_refuses_beyond_the_smallest() {
        var quota = new FixedAllowanceQuota("free", free());
        assertThat(quota.charge(ann, 2)).isInstanceOf(QuotaDecision.Granted.class);
        var denied = quota.charge(ann, 2);
        assertThat(denied).isInstanceOf(QuotaDecision.Denied.class);
        Refusal r = ((QuotaDecision.Denied) denied).refusal();
        assertThat(r.reason()).isEqualTo(Refusal.Reason.QUOTA_SPENT);
        assertThat(r.message()).isEqualTo("You asked for 2 images, but your plan's 3/1m limit has only 1 left.");
        assertThat(quota.view(ann).limits()).extracting(l -> l.remaining()).containsExactly(1L, 23L);
    }

    @Test
    void a_refused_charge_takes_nothing_and_members_are_apart() {
        var quota = new FixedAllowanceQuota("free", free());
        assertThat(quota.charge(ann, 4)).isInstanceOf(QuotaDecision.Denied.class);
        assertThat(quota.view(ann).limits()).extracting(l -> l.remaining()).containsExactly(3L, 25L);
        quota.charge(ann, 3);
        assertThat(quota.view(bob).limits()).extracting(l -> l.remaining()).containsExactly(3L, 25L);
    }

    @Test
    void refund_gives_back_to_every_limit_up_to_capacity() {
        var quota = new FixedAllowanceQuota("free", free());
        var grant = (QuotaDecision.Granted) quota.charge(ann, 3);
        quota.refund(grant, 2);
        assertThat(quota.view(ann).limits()).extracting(l -> l.remaining()).containsExactly(2L, 24L);
        assertThat(quota.view(ann).plan()).isEqualTo("free");
    }
}
