package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Exec;
import dev.berth.it.support.Host;
import dev.berth.it.support.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code kill}: the default signal, names and numbers, --all, and signals reaching a foreground
 * {@code run}. The container's init records each signal it traps in /tmp/signals (read from the
 * host through the rootfs). Only SIGKILL and trapped signals reach PID 1 of a PID namespace.
 */
class KillIT extends ContainerTestBase {

    private static final String TRAPPER = """
            for s in TERM HUP INT USR1 USR2; do trap "echo $s >> /tmp/signals" $s; done
            echo ready > /tmp/ready
            while :; do sleep 0.05; done
            """;

    private Bundle started(String name) {
        Bundle b = sb.bundle(name).sh(TRAPPER);
        cli.create(b);
        cli.call("start", b.id()).assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/ready"))),
                "the container installed its traps");
        return b;
    }

    private static String signals(Bundle b) {
        try {
            Path f = b.file("tmp/signals");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean received(Bundle b, String sig) {
        return Host.waitFor(Duration.ofSeconds(10), () -> signals(b).contains(sig + "\n"));
    }

    @Test
    void defaultSignalIsSigterm() {
        Bundle b = started("default");
        cli.call("kill", b.id()).assertOk();
        assertTrue(received(b, "TERM"), "kill without a signal sends SIGTERM; got: " + signals(b));
        assertEquals("running", cli.status(b.id()), "a trapped SIGTERM does not stop it");
    }

    @ParameterizedTest(name = "kill {0} -> {1}")
    @CsvSource({"HUP,HUP", "SIGUSR1,USR1", "12,USR2", "SIGINT,INT", "TERM,TERM", "15,TERM"})
    void signalByNameOrNumber(String arg, String trapped) {
        Bundle b = started("sig" + arg);
        cli.call("kill", b.id(), arg).assertOk();
        assertTrue(received(b, trapped), "kill " + arg + " must deliver SIG" + trapped + "; got: " + signals(b));
    }

    @ParameterizedTest(name = "kill {0}")
    @ValueSource(strings = {"KILL", "SIGKILL", "9"})
    void sigkillStopsTheContainer(String arg) {
        Bundle b = started("kill" + arg);
        long pid = (Long) cli.state(b.id()).get("pid");
        cli.call("kill", b.id(), arg).assertOk();
        cli.awaitStatus(b.id(), "stopped");
        assertTrue(Host.waitFor(Duration.ofSeconds(5), () -> !Host.alive(pid)), "the init is gone");
    }

    @Test
    void killOfAStoppedContainerFails() {
        Bundle b = sb.bundle("stopped").sh("exit 0");
        cli.create(b);
        cli.call("start", b.id()).assertOk();
        cli.awaitStatus(b.id(), "stopped");
        Result r = cli.call("kill", b.id(), "KILL");
        assertTrue(r.exit() != 0, "kill of a stopped container fails\n" + r.describe());
    }

    @Test
    void unknownSignalIsAnError() {
        Bundle b = started("badsig");
        Result r = cli.call("kill", b.id(), "NOSUCHSIGNAL");
        assertTrue(r.exit() != 0, "an unknown signal name fails\n" + r.describe());
        assertEquals("running", cli.status(b.id()));
    }

    @Test
    void killAllSignalsEveryProcessOfTheContainer() {
        Bundle b = sb.bundle("all").sh("""
                trap 'echo TERM >> /tmp/init-signals' TERM
                sh -c 'trap "echo TERM >> /tmp/child-signals; exit 0" TERM; echo up > /tmp/child-ready; while :; do sleep 0.05; done' &
                echo ready > /tmp/ready
                while :; do sleep 0.05; done
                """);
        cli.create(b);
        cli.call("start", b.id()).assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(10),
                () -> Files.exists(b.file("tmp/ready")) && Files.exists(b.file("tmp/child-ready"))));

        cli.call("kill", b.id(), "TERM").assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/init-signals"))),
                "kill without --all reaches the init");
        sleepQuietly(300);
        assertFalse(Files.exists(b.file("tmp/child-signals")), "kill without --all does not reach other processes");

        cli.call("kill", "--all", b.id(), "TERM").assertOk();
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/child-signals"))),
                "kill --all reaches every process of the container");

        cli.call("kill", "--all", b.id(), "KILL").assertOk();
        cli.awaitStatus(b.id(), "stopped");
    }

    @Test
    void killOfAForegroundRunMakesRunExit137() {
        Bundle b = sb.bundle("fgkill").sh("echo ready > /tmp/ready; exec sleep 1000");
        Exec.Running run = cli.exec(cli.withBundle("run", b)).start();
        sb.killAtClose(run.pid());
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/ready"))), "container started");
        cli.awaitStatus(b.id(), "running");
        cli.call("kill", b.id(), "KILL").assertOk();
        Result r = run.await(Duration.ofSeconds(30));
        assertEquals(137, r.exit(), "run exits 128+9 when its container is killed\n" + r.describe());
    }

    @Test
    void foregroundRunForwardsSignalsToTheContainer() {
        Bundle b = sb.bundle("forward").sh("""
                trap 'echo TERM > /tmp/got; exit 42' TERM
                trap 'echo HUP >> /tmp/hups' HUP
                echo ready > /tmp/ready
                while :; do sleep 0.05; done
                """);
        Exec.Running run = cli.exec(cli.withBundle("run", b)).start();
        sb.killAtClose(run.pid());
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/ready"))), "container started");

        Host.sh("kill -HUP " + run.pid());
        assertTrue(Host.waitFor(Duration.ofSeconds(10), () -> Files.exists(b.file("tmp/hups"))),
                "SIGHUP sent to the runtime reaches the container");
        Host.sh("kill -TERM " + run.pid());
        Result r = run.await(Duration.ofSeconds(30));
        assertEquals(42, r.exit(), "SIGTERM to the runtime is forwarded; run exits with the container's status\n"
                + r.describe());
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
