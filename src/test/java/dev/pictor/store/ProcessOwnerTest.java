package dev.pictor.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two pictor containers on one host with the same hostname ({@code --network host}, or the same {@code hostname:})
 * but each its own PID namespace: neither may take the other for dead because the other's pid is not running in its
 * own namespace.
 */
class ProcessOwnerTest {
    private static final String HOST = "pictor-1";
    private static final String SELF = HOST + "/7/1700000000000/4026532001";
    /** No process can have this pid (above the kernel's largest pid_max). */
    private static final long NO_SUCH_PID = 4_194_305L;

    @Test
    void a_peer_in_another_pid_namespace_on_a_host_of_the_same_name_is_judged_by_its_lease_not_by_a_pid() {
        String otherContainer = HOST + "/" + NO_SUCH_PID + "/1700000000000/4026532999";

        assertThat(ProcessOwner.mayBeAlive(otherContainer, SELF, HOST, "4026532001")).isTrue();
    }

    @Test
    void a_gone_process_of_the_same_host_and_pid_namespace_is_known_dead_at_once() {
        String predecessor = HOST + "/" + NO_SUCH_PID + "/1700000000000/4026532001";

        assertThat(ProcessOwner.mayBeAlive(predecessor, SELF, HOST, "4026532001")).isFalse();
    }

    @Test
    void this_process_id_carries_its_pid_namespace_and_is_alive() {
        String current = ProcessOwner.current();

        assertThat(current.split("/")).hasSize(4);
        assertThat(current).endsWith("/" + ProcessHandle.current().pid() + "/"
                + ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() + "/" + current.split("/")[3]);
        assertThat(ProcessOwner.mayBeAlive(current)).isTrue();
    }
}
