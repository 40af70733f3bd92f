package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetnsCommandTest {
    @Test
    void repeatedFlagsAreTakenInEverySpellingAndTheRestIsLeft() throws Exception {
        List<String> args = new ArrayList<>(List.of("-p", "1:2", "--slirp4netns", "-p=3:4", "--publish", "5:6/udp",
                "n1", "--dns", "10.0.2.3", "-dns=1.1.1.1", "--", "-p", "7:8"));
        assertEquals(List.of("1:2", "3:4", "5:6/udp"), NetnsCommand.takeRepeated(args, NetnsCommand.PUBLISH));
        assertEquals(List.of("10.0.2.3", "1.1.1.1"), NetnsCommand.takeRepeated(args, NetnsCommand.DNS));
        assertEquals(List.of("--slirp4netns", "n1", "--", "-p", "7:8"), args, "nothing after -- is a flag");
    }

    @Test
    void aRepeatedFlagWithoutItsValueIsAUsageError() {
        UsageException e = assertThrows(UsageException.class,
                () -> NetnsCommand.takeRepeated(new ArrayList<>(List.of("n1", "-p")), NetnsCommand.PUBLISH));
        assertEquals("flag needs an argument: -p", e.getMessage());
    }
}
