package dev.pictor.core.chat;

import dev.pictor.core.Platform;

import dev.pictor.core.port.AdminPort.Member;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One vocabulary for quota changes on Discord, Telegram and the terminal. */
class AdminWordsTest {
    @Test
    void givenNone_whenReadAsAPool_thenNoSharedPool() {
        // the drift: Discord read "none", Telegram took it for a limit and refused it. Decided: none = off everywhere.
        assertThat(AdminWords.pool("none")).contains(new AdminWords.PoolChange.Off());
        assertThat(AdminWords.pool("OFF")).contains(new AdminWords.PoolChange.Off());
        assertThat(AdminWords.pool("none").orElseThrow().limits()).isEmpty();
    }

    @Test
    void givenDefault_whenReadAsAPool_thenBackToTheBotsPool() {
        assertThat(AdminWords.pool(" Default ")).contains(new AdminWords.PoolChange.BackToDefault());
        assertThat(AdminWords.pool("default").orElseThrow().limits()).isNull();
    }

    @Test
    void givenLimitsSeparatedByCommas_whenReadAsAPool_thenEachLimit() {
        // the drift: Telegram split on spaces only, so "300/1d," was refused as a limit
        assertThat(AdminWords.pool("300/1d, 40/1h").orElseThrow().limits()).containsExactly("300/1d", "40/1h");
        assertThat(AdminWords.pool("300/1d;40/1h").orElseThrow().limits()).containsExactly("300/1d", "40/1h");
        assertThat(AdminWords.pool("300/1d 40/1h").orElseThrow().limits()).containsExactly("300/1d", "40/1h");
    }

    @Test
    void givenNothing_whenReadAsAPool_thenNoChange() {
        assertThat(AdminWords.pool("  ")).isEmpty();
        assertThat(AdminWords.pool(null)).isEmpty();
    }

    @Test
    void givenDefault_whenReadAsAPlan_thenBackToTheRoleOrDefaultPlan() {
        assertThat(AdminWords.plan("default")).isNull();
        assertThat(AdminWords.plan("DEFAULT")).isNull();
        assertThat(AdminWords.plan(" pro ")).isEqualTo("pro");
    }

    @Test
    void givenAPoolChange_whenAskedWhetherBotWide_thenNoAndEveryMemberChangeIsBotWide() {
        var member = new Member(Platform.DISCORD, "1");
        assertThat(new AdminOperation.SetPool(Platform.DISCORD, "g", new AdminWords.PoolChange.Off()).botWide()).isFalse();
        assertThat(List.<AdminOperation>of(new AdminOperation.SetPlan(member, "pro"), new AdminOperation.Grant(member, 1),
                new AdminOperation.Reset(member), new AdminOperation.Block(member, null), new AdminOperation.Unblock(member)))
                .allMatch(AdminOperation::botWide);
    }
}
