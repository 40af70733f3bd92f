package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import dev.berth.api.Log;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogFormatTest {
    static final String T = "2026-11-24T06:00:00Z";

    @Test
    void textLinesAreLogrus() {
        // as runc 1.1.5 wrote them
        assertEquals("time=\"2026-11-24T06:00:00Z\" level=error msg=\"container does not exist\"\n",
                LogFormat.TEXT.line(Log.Level.ERROR, "container does not exist", T));
        assertEquals("time=\"2026-11-24T06:00:00Z\" level=error msg=\"unknown signal \\\"FOO\\\"\"\n",
                LogFormat.TEXT.line(Log.Level.ERROR, "unknown signal \"FOO\"", T));
        // values of only letters, digits and -._/@^+ are not quoted
        assertEquals("time=\"2026-11-24T06:00:00Z\" level=warning msg=/a/b-c_d.e@f^g+h\n",
                LogFormat.TEXT.line(Log.Level.WARN, "/a/b-c_d.e@f^g+h", T));
        assertEquals("time=\"2026-11-24T06:00:00Z\" level=debug msg=\"a\\nb\\tc\\x01\"\n",
                LogFormat.TEXT.line(Log.Level.DEBUG, "a\nb\tc\u0001", T));
        assertEquals("time=\"2026-11-24T06:00:00Z\" level=info msg=\n", LogFormat.TEXT.line(Log.Level.INFO, "", T));
    }

    @Test
    void jsonLinesAreLogrus() {
        assertEquals("{\"level\":\"error\",\"msg\":\"container does not exist\",\"time\":\"2026-11-24T06:00:00Z\"}\n",
                LogFormat.JSON.line(Log.Level.ERROR, "container does not exist", T));
        assertEquals("{\"level\":\"warning\",\"msg\":\"a \\u003c b \\\"q\\\"\\n\",\"time\":\"2026-11-24T06:00:00Z\"}\n",
                LogFormat.JSON.line(Log.Level.WARN, "a < b \"q\"\n", T));
    }

    @Test
    void formatNames() {
        assertEquals(LogFormat.TEXT, LogFormat.parse("text"));
        assertEquals(LogFormat.TEXT, LogFormat.parse(""));
        assertEquals(LogFormat.JSON, LogFormat.parse("json"));
        assertEquals("invalid log-format: xml",
                assertThrows(BerthException.class, () -> LogFormat.parse("xml")).getMessage());
    }

    @Test
    void theLogFiltersByLevel() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        Instant t = Instant.parse(T);
        CliLog info = new CliLog(Log.Level.INFO, LogFormat.JSON, sink, false, t);
        assertTrue(info.enabled(Log.Level.WARN));
        assertFalse(info.enabled(Log.Level.DEBUG));
        info.debug("hidden");
        info.warn("shown");
        String out = sink.toString(StandardCharsets.UTF_8);
        assertTrue(out.startsWith("{\"level\":\"warning\",\"msg\":\"shown\",\"time\":\""), out);
        assertEquals(1, out.lines().count());

        CliLog debug = new CliLog(Log.Level.DEBUG, LogFormat.TEXT, sink, false, t);
        assertTrue(debug.enabled(Log.Level.DEBUG));
    }
}
