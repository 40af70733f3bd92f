package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.BerthException;
import org.junit.jupiter.api.Test;

class SignalsTest {
    @Test
    void namesInEverySpelling() {
        for (String s : new String[] {"KILL", "SIGKILL", "kill", "sigkill", "Kill", "9"}) {
            assertEquals(9, Signals.parse(s), s);
        }
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(1, Signals.parse("hup"));
        assertEquals(10, Signals.parse("USR1"));
        assertEquals(17, Signals.parse("SIGCHLD"));
        assertEquals(31, Signals.parse("SYS"));
        assertEquals(0, Signals.parse("0"));
        assertEquals(9, Signals.parse("+9"));
    }

    @Test
    void aliases() {
        assertEquals(6, Signals.parse("SIGIOT"));
        assertEquals(29, Signals.parse("POLL"));
        assertEquals(17, Signals.parse("cld"));
    }

    @Test
    void realTimeSignals() {
        assertEquals(34, Signals.parse("SIGRTMIN"));
        assertEquals(35, Signals.parse("RTMIN+1"));
        assertEquals(64, Signals.parse("rtmin+30"));
        assertEquals(64, Signals.parse("SIGRTMAX"));
        assertEquals(62, Signals.parse("SIGRTMAX-2"));
        assertEquals(50, Signals.parse("50"));
        assertEquals(64, Signals.parse("64"));
    }

    @Test
    void unknownSignalsAreInvalid() {
        for (String s : new String[] {"FOO", "", "SIG", "65", "-1", "RTMIN+31", "RTMIN+", "RTMAX-x", "9x", "SIGKILL2"}) {
            BerthException e = assertThrows(BerthException.class, () -> Signals.parse(s), s);
            assertEquals(BerthException.Kind.INVALID, e.kind());
            assertEquals("unknown signal " + GoQuote.quote(s), e.getMessage());
        }
        assertEquals("unknown signal \"FOO\"", assertThrows(BerthException.class, () -> Signals.parse("FOO")).getMessage());
    }

    @Test
    void names() {
        assertEquals("SIGKILL", Signals.name(9));
        assertEquals("SIGRTMIN", Signals.name(34));
        assertEquals("SIGRTMIN+3", Signals.name(37));
        assertEquals("SIGRTMAX", Signals.name(64));
        assertEquals("33", Signals.name(33));
    }
}
