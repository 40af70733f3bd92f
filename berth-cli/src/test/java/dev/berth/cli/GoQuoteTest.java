package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GoQuoteTest {
    @Test
    void quotesLikeGo() {
        assertEquals("\"FOO\"", GoQuote.quote("FOO"));
        assertEquals("\"a\\\"b\\\\\"", GoQuote.quote("a\"b\\"));
        assertEquals("\"\\a\\b\\f\\n\\r\\t\\v\\x00\\x7f\"", GoQuote.quote("\u0007\b\f\n\r\t\u000b\u0000\u007f"));
        assertEquals("\"caf\u00e9 \ud83d\ude00\"", GoQuote.quote("caf\u00e9 \ud83d\ude00"));
        assertEquals("\"\\u00a0\\u200b\"", GoQuote.quote("\u00a0\u200b"));
    }
}
