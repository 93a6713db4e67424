package dev.pictor.quota;

import dev.pictor.core.Platform;

import dev.pictor.core.Requester;
import dev.pictor.quota.QuotaLayers.Kind;
import dev.pictor.quota.QuotaLayers.Layer;
import dev.pictor.quota.QuotaLayers.Row;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.pictor.quota.QuotaFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;

/** Which layers of quota apply to a request: the pure policy, over rows as if read from quota_subjects (no SQLite). */
class QuotaLayersTest {
    private final QuotaLayers policy = new QuotaLayers(QuotaFixtures.settings());

    private static Row override(String value) {
        return new Row(value, false, 0, null, 0);
    }

    private static List<Kind> kinds(List<Layer> layers) {
        return layers.stream().map(Layer::kind).toList();
    }

    @Test
    void aMemberOfABotWithoutPoolOrCapHasOnlyTheirDefaultPlan() {
        List<Layer> layers = policy.layers(member("alice"), Map.of());

        assertThat(layers).containsExactly(new Layer(Kind.MEMBER, "member:discord:alice", "default",
                List.of("3/1m", "25/1d"), "plan default 3/1m,25/1d"));
    }

    @Test
    void theRolePlanTheAdapterResolvedIsUsedWhenNoAdminOverrodeIt() {
        var who = new Requester(Platform.DISCORD, "alice", "alice", "g1", "plain-bot", "vip");

        assertThat(policy.layers(who, Map.of()).getFirst().planName()).isEqualTo("vip");
    }

    @Test
    void anAdminsPlanWinsOverTheRolePlan_andAPlanNoLongerConfiguredFallsBackToTheRolePlan() {
        var who = new Requester(Platform.DISCORD, "alice", "alice", "g1", "plain-bot", "vip");

        assertThat(policy.layers(who, Map.of("member:discord:alice", override("trial"))).getFirst().planName())
                .isEqualTo("trial");
        assertThat(policy.layers(who, Map.of("member:discord:alice", override("gone"))).getFirst().planName())
                .isEqualTo("vip");
        assertThat(policy.layers(member("bob"), Map.of("member:discord:bob", override("gone"))).getFirst().planName())
                .isEqualTo("default");
    }

    @Test
    void aCommunityOfAPoolBotSharesTheBotsPool_unlessAnAdminChangedOrRemovedIt() {
        Requester alice = member("alice", "pool-bot");

        assertThat(policy.layers(alice, Map.of()).get(1))
                .isEqualTo(new Layer(Kind.POOL, "pool:discord:g1", null, List.of("10/1d"), "pool 10/1d"));
        assertThat(policy.layers(alice, Map.of("pool:discord:g1", override("300/1d,40/1h"))).get(1).limits())
                .containsExactly("300/1d", "40/1h");
        assertThat(kinds(policy.layers(alice, Map.of("pool:discord:g1", override(""))))).containsExactly(Kind.MEMBER);
    }

    @Test
    void anAdminMayGiveACommunityAPoolOnABotThatHasNone_butOutsideACommunityThereIsNoPool() {
        Map<String, Row> rows = Map.of("pool:discord:g1", override("5/1d"));

        assertThat(kinds(policy.layers(member("alice"), rows))).containsExactly(Kind.MEMBER, Kind.POOL);
        var direct = new Requester(Platform.DISCORD, "alice", "alice", null, "pool-bot", null);
        assertThat(kinds(policy.layers(direct, rows))).containsExactly(Kind.MEMBER);
        assertThat(policy.subjects(direct).pool()).isNull();
    }

    @Test
    void aBotWithADailyCapAddsItsCapLast() {
        List<Layer> layers = policy.layers(member("alice", "capped-bot"), Map.of());

        assertThat(kinds(layers)).containsExactly(Kind.MEMBER, Kind.BOT);
        assertThat(layers.getLast()).isEqualTo(new Layer(Kind.BOT, "bot:capped-bot", null, List.of("6/1d"), "cap 6/1d"));
        assertThat(policy.subjects(member("alice", "capped-bot")))
                .isEqualTo(new QuotaLayers.Subjects("member:discord:alice", "pool:discord:g1", "bot:capped-bot"));
    }
}
