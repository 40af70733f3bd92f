package dev.berth.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import dev.berth.spec.Seccomp;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real programs built by the host's libseccomp, checked instruction by instruction where it matters. */
class SeccompCompilerTest {
    private static final int BPF_RET = 0x06, BPF_K = 0x00;
    private static final int SECCOMP_RET_ERRNO = 0x00050000, SECCOMP_RET_ALLOW = 0x7fff0000,
            SECCOMP_RET_USER_NOTIF = 0x7fc00000, SECCOMP_RET_KILL_PROCESS = 0x80000000;

    private static Seccomp.Rule rule(String action, Long errnoRet, String... names) {
        return new Seccomp.Rule("linux.seccomp.syscalls[0]", List.of(names), action, errnoRet, List.of());
    }

    private static Seccomp seccomp(String defaultAction, List<String> flags, Seccomp.Rule... rules) {
        return new Seccomp(defaultAction, null, List.of("SCMP_ARCH_X86_64"), flags, "/run/x.sock", null,
                List.of(rules));
    }

    /** The k of every "ret #k" instruction: the actions a program can return. */
    private static List<Integer> returns(byte[] bpf) {
        assertEquals(0, bpf.length % 8, "whole sock_filter instructions");
        ByteBuffer b = ByteBuffer.wrap(bpf).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < bpf.length; i += 8) {
            if ((b.getShort(i) & 0xffff) == (BPF_RET | BPF_K)) out.add(b.getInt(i + 4));
        }
        return out;
    }

    @Test
    void errnoRuleReturnsItsErrno() {
        List<String> warnings = new ArrayList<>();
        SeccompCompiler.Program p = SeccompCompiler.compile(seccomp("SCMP_ACT_ALLOW", List.of(),
                rule("SCMP_ACT_ERRNO", 34L, "mkdir", "mkdirat")), warnings);
        List<Integer> rets = returns(p.bpf());
        assertTrue(rets.contains(SECCOMP_RET_ERRNO | 34), rets.toString());
        assertTrue(rets.contains(SECCOMP_RET_ALLOW), rets.toString());
        assertEquals(0, p.flags());
        assertEquals(List.of(), warnings);
    }

    @Test
    void errnoDefaultsToEperm() {
        SeccompCompiler.Program p = SeccompCompiler.compile(seccomp("SCMP_ACT_ALLOW", List.of(),
                rule("SCMP_ACT_ERRNO", null, "mkdir")), new ArrayList<>());
        assertTrue(returns(p.bpf()).contains(SECCOMP_RET_ERRNO | 1));
    }

    @Test
    void unknownSyscallsAreSkippedWithAWarning() {
        List<String> warnings = new ArrayList<>();
        SeccompCompiler.Program p = SeccompCompiler.compile(seccomp("SCMP_ACT_ALLOW", List.of(),
                rule("SCMP_ACT_KILL_PROCESS", null, "no_such_call", "mkdir")), warnings);
        assertEquals(List.of("config.json: linux.seccomp.syscalls[0].names[0]: unknown system call \"no_such_call\" "
                + "for this architecture, skipped"), warnings);
        assertTrue(returns(p.bpf()).contains(SECCOMP_RET_KILL_PROCESS));
    }

    @Test
    void aRuleRepeatingTheDefaultActionIsLeftOut() {
        SeccompCompiler.Program p = SeccompCompiler.compile(seccomp("SCMP_ACT_ALLOW", List.of(),
                rule("SCMP_ACT_ALLOW", null, "read")), new ArrayList<>());
        assertEquals(List.of(SECCOMP_RET_ALLOW), returns(p.bpf()).stream().distinct().filter(r -> r != 0).toList());
    }

    @Test
    void notifyAddsTheListenerFlag() {
        SeccompCompiler.Program p = SeccompCompiler.compile(seccomp("SCMP_ACT_ALLOW",
                List.of("SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"),
                rule("SCMP_ACT_NOTIFY", null, "mkdir")), new ArrayList<>());
        assertTrue(returns(p.bpf()).contains(SECCOMP_RET_USER_NOTIF));
        assertEquals(SeccompCompiler.FLAG_TSYNC | SeccompCompiler.FLAG_NEW_LISTENER | SeccompCompiler.FLAG_TSYNC_ESRCH
                | SeccompCompiler.FLAG_WAIT_KILLABLE_RECV, p.flags());
    }

    @Test
    void flagsMapToTheKernels() {
        Seccomp s = seccomp("SCMP_ACT_ALLOW", List.of("SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"), rule("SCMP_ACT_LOG", null, "mkdir"));
        // WAIT_KILLABLE_RECV without a listener is refused by the kernel, so it is dropped.
        assertEquals(SeccompCompiler.FLAG_LOG | SeccompCompiler.FLAG_SPEC_ALLOW, SeccompCompiler.flags(s));
    }

    @Test
    void conditionsOnOneArgumentBecomeSeparateRules() {
        Seccomp.Rule r = new Seccomp.Rule("linux.seccomp.syscalls[0]", List.of("personality"), "SCMP_ACT_ERRNO", 7L,
                List.of(new Seccomp.Arg(0, 0, 0, "SCMP_CMP_EQ"), new Seccomp.Arg(0, 8, 0, "SCMP_CMP_EQ"),
                        new Seccomp.Arg(0, 0xffff_ffffL, 0x20008, "SCMP_CMP_MASKED_EQ")));
        SeccompCompiler.Program p = SeccompCompiler.compile(seccomp("SCMP_ACT_ALLOW", List.of(), r),
                new ArrayList<>());
        assertTrue(returns(p.bpf()).contains(SECCOMP_RET_ERRNO | 7));
        Seccomp.Rule two = new Seccomp.Rule("linux.seccomp.syscalls[0]", List.of("socket"), "SCMP_ACT_ERRNO", 7L,
                List.of(new Seccomp.Arg(0, 16, 0, "SCMP_CMP_EQ"), new Seccomp.Arg(2, 9, 0, "SCMP_CMP_NE")));
        assertTrue(SeccompCompiler.compile(seccomp("SCMP_ACT_ALLOW", List.of(), two), new ArrayList<>()).bpf().length > 0);
    }

    @Test
    void foreignArchitecturesAreAdded() {
        Seccomp s = new Seccomp("SCMP_ACT_ERRNO", 38L, List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
                "SCMP_ARCH_AARCH64"), List.of(), null, null, List.of(rule("SCMP_ACT_ALLOW", null, "read", "write")));
        SeccompCompiler.Program p = SeccompCompiler.compile(s, new ArrayList<>());
        assertTrue(returns(p.bpf()).contains(SECCOMP_RET_ERRNO | 38));
        ByteBuffer b = ByteBuffer.wrap(p.bpf()).order(ByteOrder.LITTLE_ENDIAN);
        boolean aarch64 = false;
        for (int i = 0; i < p.bpf().length; i += 8) aarch64 |= b.getInt(i + 4) == 0xc00000b7; // AUDIT_ARCH_AARCH64
        assertTrue(aarch64, "the program checks for aarch64");
    }

    /**
     * loongarch64 came with libseccomp 2.6; Debian 12 has 2.5.4. Either the library knows it and
     * the program checks for it, or the error names the field: both outcomes are asserted.
     */
    @Test
    void anArchitectureThisLibseccompLacksIsAnError() {
        Seccomp s = new Seccomp("SCMP_ACT_ALLOW", null, List.of("SCMP_ARCH_LOONGARCH64"), List.of(), null, null,
                List.of(rule("SCMP_ACT_ERRNO", 1L, "mount")));
        SeccompCompiler.Program p;
        try {
            p = SeccompCompiler.compile(s, new ArrayList<>());
        } catch (BerthException e) {
            assertEquals("config.json: linux.seccomp.architectures[0]: SCMP_ARCH_LOONGARCH64 is not supported by this "
                    + "libseccomp", e.getMessage());
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(p.bpf()).order(ByteOrder.LITTLE_ENDIAN);
        boolean loongarch = false;
        for (int i = 0; i < p.bpf().length; i += 8) loongarch |= b.getInt(i + 4) == 0xc0000102; // AUDIT_ARCH_LOONGARCH64
        assertTrue(loongarch, "a libseccomp that knows loongarch64 makes the program check for it");
    }
}
