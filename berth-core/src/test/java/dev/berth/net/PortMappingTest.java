package dev.berth.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import org.junit.jupiter.api.Test;

class PortMappingTest {
    @Test
    void loopbackAndTcpUnlessSaidOtherwise() {
        assertEquals(new PortMapping("127.0.0.1", 8080, 80, "tcp"), PortMapping.parse("8080:80"));
        assertEquals(new PortMapping("127.0.0.1", 5353, 53, "udp"), PortMapping.parse("5353:53/udp"));
        assertEquals(new PortMapping("0.0.0.0", 8443, 443, "tcp"), PortMapping.parse("0.0.0.0:8443:443/tcp"));
        assertEquals("127.0.0.1:8080:80/tcp", PortMapping.parse("8080:80").toString());
        assertEquals(PortMapping.parse("8080:80"), PortMapping.parse(PortMapping.parse("8080:80").toString()),
                "the listed form parses back to the same mapping");
    }

    @Test
    void badValuesNameTheFlagAndTheValue() {
        for (String[] c : new String[][] {{"8080", "HOSTPORT:CONTAINERPORT"}, {"8080:http", "\"http\" is not a port"},
                {"0:80", "\"0\" is not a port"}, {"65536:80", "\"65536\" is not a port"}, {"80:80/sctp", "tcp or udp"},
                {"localhost:80:80", "not an IPv4 address"}, {"1.2.3.256:80:80", "not an IPv4 address"}}) {
            BerthException e = assertThrows(BerthException.class, () -> PortMapping.parse(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith("-p " + c[0] + ": ") && e.getMessage().contains(c[1]), e.getMessage());
            assertEquals(BerthException.Kind.INVALID, e.kind());
        }
    }
}
