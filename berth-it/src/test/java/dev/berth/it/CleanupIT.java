package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Exec;
import dev.berth.it.support.Host;
import dev.berth.it.support.Leftovers;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runtime is SIGKILLed in the middle of create (while a hook sleeps); {@code delete --force}
 * must then remove everything: the state, the container's processes and its cgroups, so that
 * the id can be used again.
 */
class CleanupIT extends ContainerTestBase {

    /**
     * runc 1.1 never wrote state.json at that point, so its {@code delete --force} only removes the
     * state directory: the cgroup directories (whose path it does not know) stay behind. The
     * cgroup check applies to berth only; processes and state are checked for every runtime.
     */
    @ParameterizedTest(name = "killed during {0}")
    @ValueSource(strings = {"prestart", "createRuntime", "createContainer"})
    void deleteForceCleansUpAfterACreateKilledMidway(String kind) throws Exception {
        Path out = sb.mkdir("out");
        Path hook = sb.script("sleeper.sh", "#!/bin/sh\necho started > " + out + "/hook.started\nexec sleep 60\n");
        Bundle b = sb.bundle("killed-" + kind).sh("exec sleep 1000");
        b.mount(out.toString(), "bind", out.toString(), "bind");
        String marker = "BERTH_IT_HOOK=" + b.id();
        b.hook(kind, hook.toString(), List.of("sleeper.sh"), List.of("PATH=/usr/bin:/bin", marker), null);

        Exec.Running create = cli.exec(cli.withBundle("create", b)).start();
        sb.killAtClose(create.pid());
        assertTrue(Host.waitFor(Duration.ofSeconds(20), () -> !Leftovers.processesWithEnv(marker).isEmpty()),
                "the " + kind + " hook started (create still running: " + create.alive() + ")");
        List<Long> hookPids = Leftovers.processesWithEnv(marker);
        hookPids.forEach(sb::killAtClose);

        Result killed = create.kill();
        assertTrue(killed.exit() != 0, "create was killed\n" + killed.describe());
        // The hook is the runtime's child, not the container's: it goes with the runtime, as when
        // a whole service is stopped.
        for (long pid : hookPids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);

        Result del = cli.call("delete", "--force", b.id());
        assertEquals(0, del.exit(), "delete --force of a half-created container succeeds\n" + del.describe());
        Leftovers.assertNone(cli, b, RuntimeUnderTest.isBerth());

        assertIdReusable(b);
    }

    /** After the clean-up the same id can be created and run again. */
    private void assertIdReusable(Bundle b) {
        b.config().remove("hooks");
        b.sh("echo again > /tmp/again; exec sleep 1000");
        cli.create(b);
        cli.call("start", b.id()).assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/again"))),
                "the id works again after delete --force");
        cli.call("delete", "--force", b.id()).assertOk();
    }
}
