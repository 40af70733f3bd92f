package dev.berth.spec;

import static dev.berth.spec.TestConfigs.add;
import static dev.berth.spec.TestConfigs.json;
import static dev.berth.spec.TestConfigs.minimal;
import static dev.berth.spec.TestConfigs.put;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlValidationTest extends SpecAssertions {
    @TempDir
    Path dir;

    @Override
    Path dir() {
        return dir;
    }

    private static Map<String, Object> sysctl(String name, String... namespaces) {
        Map<String, Object> c = minimal();
        for (String t : namespaces) add(c, "linux.namespaces", json("{\"type\": \"" + t + "\"}"));
        return put(c, "linux.sysctl", Map.of(name, "1"));
    }

    @Test
    void ipcSysctlsNeedAnIpcNamespace() {
        assertError(sysctl("kernel.msgmax"),
                "config.json: linux.sysctl[\"kernel.msgmax\"]: is not allowed without an IPC namespace");
        assertError(sysctl("fs.mqueue.msg_max"),
                "config.json: linux.sysctl[\"fs.mqueue.msg_max\"]: is not allowed without an IPC namespace");
        assertEquals(Map.of("kernel.shmmax", "1"), load(sysctl("kernel.shmmax", "ipc")).linux().sysctl());
    }

    @Test
    void networkSysctlsNeedANetworkNamespaceOfTheirOwn() {
        assertError(sysctl("net.ipv4.ip_forward"),
                "config.json: linux.sysctl[\"net.ipv4.ip_forward\"]: is not allowed in the host's network namespace");
        load(sysctl("net.ipv4.ip_forward", "network"));
        Map<String, Object> host = add(sysctl("net.ipv4.ip_forward"), "linux.namespaces",
                json("{\"type\": \"network\", \"path\": \"/proc/self/ns/net\"}"));
        assertError(host,
                "config.json: linux.sysctl[\"net.ipv4.ip_forward\"]: is not allowed in the host's network namespace");
    }

    @Test
    void utsSysctls() {
        load(sysctl("kernel.domainname", "uts"));
        assertError(sysctl("kernel.hostname", "uts"),
                "config.json: linux.sysctl[\"kernel.hostname\"]: conflicts with the \"hostname\" field; set that instead");
        assertError(sysctl("kernel.domainname"),
                "config.json: linux.sysctl[\"kernel.domainname\"]: is not namespaced, so setting it would change the host");
    }

    @Test
    void userSysctlsNeedAUserNamespace() {
        assertError(sysctl("user.max_user_namespaces"),
                "config.json: linux.sysctl[\"user.max_user_namespaces\"]: is not allowed without a user namespace");
    }

    @Test
    void otherSysctlsAreRefused() {
        assertError(sysctl("vm.swappiness", "ipc", "network", "uts"),
                "config.json: linux.sysctl[\"vm.swappiness\"]: is not namespaced, so setting it would change the host");
    }

    @Test
    void malformedNamesAreRefused() {
        assertError(sysctl("net..ipv4", "network"), "config.json: linux.sysctl[\"net..ipv4\"]: is not a valid sysctl name");
        assertError(sysctl("net/../../etc", "network"),
                "config.json: linux.sysctl[\"net/../../etc\"]: is not a valid sysctl name");
    }

    @Test
    void slashSeparatedNamesAreConverted() {
        assertEquals("net.ipv4.conf.eth0/100.rp_filter", SysctlRules.dotted("net/ipv4/conf/eth0.100/rp_filter"));
        assertEquals("net.ipv4.ip_forward", SysctlRules.dotted("net.ipv4.ip_forward"));
        load(sysctl("net/ipv4/conf/eth0.100/rp_filter", "network"));
    }
}
