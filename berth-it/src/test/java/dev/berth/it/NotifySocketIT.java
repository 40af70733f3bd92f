package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.NotifyReceiver;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * NOTIFY_SOCKET: the container gets a notify socket of its own at /run/notify/notify.sock, and
 * its READY=1 reaches the caller's socket, followed by MAINPID=<the init's PID>. The container
 * sends with busybox logger (a datagram to /dev/log, linked to the socket), whose syslog header
 * line comes before the READY=1 line, as sd_notify's lines are read one by one.
 */
class NotifySocketIT extends ContainerTestBase {
    private static final String SEND_READY = "ln -sf $NOTIFY_SOCKET /dev/log; logger \"$(printf 'x\\nREADY=1')\"; ";

    @BeforeEach
    void onlyBerth() {
        assumeTrue(RuntimeUnderTest.isBerth(), "runc 1.1.5 relays nothing here and its foreground run never returns "
                + "(it does not reap the container) when NOTIFY_SOCKET is set");
    }

    private NotifyReceiver receiver() {
        NotifyReceiver r = new NotifyReceiver(sb.dir().resolve("n.sock"));
        sb.onClose("close notify receiver", r::close);
        return r;
    }

    @Test
    void foregroundRunRelaysReadyAndMainPid() {
        NotifyReceiver rx = receiver();
        Bundle b = sb.bundle("fg").sh("echo socket=$NOTIFY_SOCKET; test -S /run/notify/notify.sock && echo is-socket; "
                + SEND_READY + "sleep 1; echo done");
        Result r = cli.exec(cli.withBundle("run", b)).env("NOTIFY_SOCKET", rx.path().toString()).run().assertOk();
        assertEquals("socket=/run/notify/notify.sock\nis-socket\ndone\n", r.stdout(), r.describe());
        assertEquals("READY=1\n", rx.next(Duration.ofSeconds(5)), "READY=1 reaches the caller's socket");
        String mainPid = rx.next(Duration.ofSeconds(5));
        assertTrue(mainPid != null && mainPid.matches("MAINPID=[0-9]+\n"), "then MAINPID: " + mainPid);
    }

    @Test
    void startReturnsOnceTheContainerIsReady() {
        NotifyReceiver rx = receiver();
        Bundle b = sb.bundle("start").sh("sleep 2; " + SEND_READY + "sleep 1000");
        cli.exec(cli.withBundle("create", b)).env("NOTIFY_SOCKET", rx.path().toString()).run().assertOk();
        long pid = ((Number) cli.state(b.id()).get("pid")).longValue();
        long t0 = System.nanoTime();
        cli.exec("start", b.id()).env("NOTIFY_SOCKET", rx.path().toString()).run().assertOk();
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toMillis() >= 1500, "start waits for READY=1");
        assertEquals("READY=1\n", rx.next(Duration.ofSeconds(1)));
        assertEquals("MAINPID=" + pid + "\n", rx.next(Duration.ofSeconds(1)), "MAINPID is the container's init");
    }
}
