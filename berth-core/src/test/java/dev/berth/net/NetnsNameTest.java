package dev.berth.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import org.junit.jupiter.api.Test;

class NetnsNameTest {
    @Test
    void namesThatAreFileNamesAndCniIds() {
        assertEquals("web-1_a.b", NetnsName.check("web-1_a.b"));
        for (String bad : new String[] {"", ".", "..", "a/b", "a b", "ü", "x".repeat(65), "../etc"}) {
            BerthException e = assertThrows(BerthException.class, () -> NetnsName.check(bad), bad);
            assertTrue(e.getMessage().startsWith("netns"), e.getMessage());
        }
    }

    @Test
    void dnsServersAreAddresses() {
        Dns.check("10.0.2.3");
        Dns.check("2001:db8::53");
        BerthException e = assertThrows(BerthException.class, () -> Dns.check("dns.example"));
        assertTrue(e.getMessage().startsWith("--dns dns.example"), e.getMessage());
        assertEquals("# written by berth netns add --dns\nnameserver 10.0.2.3\nnameserver 2001:db8::53\n",
                Dns.resolvConf(java.util.List.of("10.0.2.3", "2001:db8::53")));
    }
}
