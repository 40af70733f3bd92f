package dev.berth.spec;

import static dev.berth.spec.TestConfigs.json;
import static dev.berth.spec.TestConfigs.minimal;
import static dev.berth.spec.TestConfigs.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeccompValidationTest extends SpecAssertions {
    @TempDir
    Path dir;

    @Override
    Path dir() {
        return dir;
    }

    private void assertSeccompError(String seccomp, String message) {
        assertError(put(minimal(), "linux.seccomp", json(seccomp)), "config.json: linux.seccomp" + message);
    }

    @Test
    void aFullProfileIsRead() {
        Seccomp s = load(put(minimal(), "linux.seccomp", json("""
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
                 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], "flags": ["SECCOMP_FILTER_FLAG_LOG"],
                 "listenerPath": "/run/agent.sock", "listenerMetadata": "m",
                 "syscalls": [{"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                              {"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"},
                              {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                               "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"},
                                        {"index": 0, "value": 18446744073709551615, "valueTwo": 1, "op": "SCMP_CMP_MASKED_EQ"}]}]}
                """))).linux().seccomp();
        assertEquals("SCMP_ACT_ERRNO", s.defaultAction());
        assertEquals(38L, s.defaultErrnoRet());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), s.architectures());
        assertTrue(s.notifies());
        assertEquals("linux.seccomp.syscalls[2]", s.syscalls().get(2).path());
        assertEquals(new Seccomp.Arg(0, -1L, 1L, "SCMP_CMP_MASKED_EQ"), s.syscalls().get(2).args().get(1));
    }

    @Test
    void anEmptyObjectIsNoFilter() {
        Spec spec = load(put(minimal(), "linux.seccomp", json("{}")));
        assertNull(spec.linux().seccomp());
        assertEquals(List.of("config.json: linux.seccomp: has no defaultAction and no syscalls; no filter is loaded"),
                spec.warnings());
    }

    @Test
    void everythingMalformedIsAnError() {
        assertSeccompError("{\"syscalls\": [{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ALLOW\"}]}",
                ".defaultAction: is required");
        assertSeccompError("{\"defaultAction\": \"SCMP_ACT_DENY\"}", ".defaultAction: unknown action \"SCMP_ACT_DENY\"");
        assertSeccompError("{\"defaultAction\": \"SCMP_ACT_NOTIFY\", \"listenerPath\": \"/a\"}",
                ".defaultAction: cannot be SCMP_ACT_NOTIFY");
        assertSeccompError("{\"defaultAction\": \"SCMP_ACT_KILL\", \"defaultErrnoRet\": 1}",
                ".defaultErrnoRet: is only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_KILL");
        assertSeccompError("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"amd64\"]}",
                ".architectures[1]: unknown architecture \"amd64\"");
        assertSeccompError("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_NEW_LISTENER\"]}",
                ".flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_NEW_LISTENER\"");
        String allow = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [";
        assertSeccompError(allow + "{\"names\": [], \"action\": \"SCMP_ACT_ERRNO\"}]}",
                ".syscalls[0].names: must be a non-empty array of system call names");
        assertSeccompError(allow + "{\"names\": [\"read\"]}]}", ".syscalls[0].action: is required");
        assertSeccompError(allow + "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_KILL\", \"errnoRet\": 5}]}",
                ".syscalls[0].errnoRet: is only allowed with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_KILL");
        assertSeccompError(allow + "{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}",
                ".listenerPath: is required when a rule uses SCMP_ACT_NOTIFY");
        assertSeccompError("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"agent.sock\", \"syscalls\": "
                + "[{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}",
                ".listenerPath: \"agent.sock\" must be an absolute path");
        assertSeccompError("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/a\", \"syscalls\": "
                + "[{\"names\": [\"write\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}",
                ".syscalls[0].names: write cannot use SCMP_ACT_NOTIFY: the notify descriptor is sent with it");
        String arg = allow + "{\"names\": [\"read\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [";
        assertSeccompError(arg + "{\"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
                ".syscalls[0].args[0].index: must be less than 6");
        assertSeccompError(arg + "{\"value\": 1, \"op\": \"SCMP_CMP_EQ\"}]}]}", ".syscalls[0].args[0].index: is required");
        assertSeccompError(arg + "{\"index\": 0, \"op\": \"SCMP_CMP_EQ\"}]}]}", ".syscalls[0].args[0].value: is required");
        assertSeccompError(arg + "{\"index\": 0, \"value\": 1, \"op\": \"EQ\"}]}]}",
                ".syscalls[0].args[0].op: unknown operator \"EQ\"");
        assertSeccompError(arg + "{\"index\": 0, \"value\": -1, \"op\": \"SCMP_CMP_EQ\"}]}]}",
                ".syscalls[0].args[0].value: must be an integer from 0 to 18446744073709551615");
    }
}
