package dev.berth.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Descriptors through SCM_RIGHTS, the way the console's master travels. */
class UnixSocketTest {
    private static final int AF_UNIX = 1, SOCK_SEQPACKET = 5, SOCK_CLOEXEC = 02000000;

    @Test
    void aDescriptorArrivesWithItsMessage() {
        int[] pair = Sys.socketpair("socketpair", AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC);
        int[] pipe = Sys.pipe("pipe", Sys.O_CLOEXEC);
        try {
            UnixSocket.sendFd("send", pair[0], "console".getBytes(StandardCharsets.UTF_8), pipe[1]);
            UnixSocket.Received r = UnixSocket.receive("receive", pair[1], 100);
            assertEquals("console", new String(r.data(), StandardCharsets.UTF_8));
            assertTrue(r.fd() > 2 && r.fd() != pipe[1], "a new descriptor: " + r.fd());
            Sys.write("write", r.fd(), new byte[] {42});
            assertArrayEquals(new byte[] {42}, Sys.read("read", pipe[0], 10), "it is the pipe's write end");
            Sys.close(r.fd());
        } finally {
            Sys.close(pair[0]);
            Sys.close(pair[1]);
            Sys.close(pipe[0]);
            Sys.close(pipe[1]);
        }
    }

    @Test
    void aMessageWithoutDescriptorAndEof() {
        int[] pair = Sys.socketpair("socketpair", AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC);
        try {
            Sys.write("write", pair[0], new byte[] {1, 2});
            UnixSocket.Received r = UnixSocket.receive("receive", pair[1], 100);
            assertArrayEquals(new byte[] {1, 2}, r.data());
            assertEquals(-1, r.fd());
            Sys.close(pair[0]);
            assertEquals(0, UnixSocket.receive("receive", pair[1], 100).data().length, "EOF once the peer is gone");
        } finally {
            Sys.close(pair[1]);
        }
    }
}
