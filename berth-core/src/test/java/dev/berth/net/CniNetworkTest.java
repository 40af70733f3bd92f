package dev.berth.net;

import dev.berth.sys.Subprocess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import dev.berth.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CniNetworkTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultNetworkIsWrittenOnFirstUseAndOnlyIt() throws Exception {
        CniNetwork n = CniNetwork.load(dir, "berth0");
        assertEquals("berth0", n.name());
        assertEquals("1.0.0", n.cniVersion());
        assertEquals(List.of("bridge", "portmap", "firewall"), n.plugins().stream().map(p -> p.get("type")).toList());
        assertTrue(CniNetwork.wantsPortMappings(n.plugins().get(1)));
        assertFalse(CniNetwork.wantsPortMappings(n.plugins().get(0)));
        assertTrue(Files.readString(dir.resolve("berth0.conflist")).contains("10.87.0.0/16"));

        BerthException e = assertThrows(BerthException.class, () -> CniNetwork.load(dir, "other"));
        assertTrue(e.getMessage().startsWith("--cni other: unknown CNI network"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("other.conflist")));
    }

    @Test
    void aConfigurationListMustNameItselfAndItsPlugins() {
        Path f = dir.resolve("x.conflist");
        assertThrows(BerthException.class, () -> CniNetwork.parse("{\"name\":\"y\",\"cniVersion\":\"1.0.0\","
                + "\"plugins\":[{\"type\":\"bridge\"}]}", f, "x"));
        assertThrows(BerthException.class, () -> CniNetwork.parse("{\"name\":\"x\",\"cniVersion\":\"1.0.0\","
                + "\"plugins\":[]}", f, "x"));
        assertThrows(BerthException.class, () -> CniNetwork.parse("{\"name\":\"x\",\"cniVersion\":\"1.0.0\","
                + "\"plugins\":[{\"bridge\":\"b\"}]}", f, "x"));
        assertThrows(BerthException.class, () -> CniNetwork.parse("[", f, "x"));
        BerthException e = assertThrows(BerthException.class, () -> CniNetwork.pluginPath("bit-no-such-plugin"));
        assertTrue(e.getMessage().contains("containernetworking-plugins"), e.getMessage());
    }

    @Test
    void pluginErrorsAreTheSpecsErrorObjectInWords() {
        assertEquals("failed to allocate: no IP addresses available (CNI error code 11)",
                CniRunner.errorText(new Subprocess.Outcome(1 << 8,
                        "{\"code\":11,\"msg\":\"failed to allocate\",\"details\":\"no IP addresses available\"}", "")));
        assertEquals("exit status 2: boom", CniRunner.errorText(new Subprocess.Outcome(2 << 8, "", "boom\n")));
        assertEquals("10.87.0.5/16", CniRunner.firstAddress("{\"ips\":[{\"address\":\"10.87.0.5/16\"}]}"));
        assertEquals(null, CniRunner.firstAddress("{}"));
        Object parsed = Json.parse(Json.write(CniNetwork.defaultConfig(), true), "default");
        assertEquals("berth0", ((Map<?, ?>) parsed).get("name"));
    }
}
