package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArgParserTest {
    static final Flag BUNDLE = Flag.string("bundle", "b", "");
    static final Flag FORCE = Flag.bool("force", "f", "");
    static final Flag FDS = Flag.integer("preserve-fds", null, "");
    static final List<Flag> FLAGS = List.of(BUNDLE, FORCE, FDS);

    static ParsedArgs parse(boolean reorder, String... args) throws UsageException {
        return ArgParser.parse(FLAGS, List.of(args), reorder);
    }

    static String error(boolean reorder, String... args) {
        return assertThrows(UsageException.class, () -> parse(reorder, args)).getMessage();
    }

    @Test
    void everySpellingOfAValueFlag() throws UsageException {
        for (String[] form : new String[][] {
            {"--bundle", "/b", "c1"}, {"--bundle=/b", "c1"}, {"-bundle", "/b", "c1"}, {"-bundle=/b", "c1"},
            {"-b", "/b", "c1"}, {"-b=/b", "c1"}, {"--b", "/b", "c1"}, {"--b=/b", "c1"},
        }) {
            ParsedArgs a = parse(true, form);
            assertEquals("/b", a.string(BUNDLE, ""), String.join(" ", form));
            assertEquals(List.of("c1"), a.args(), String.join(" ", form));
        }
    }

    @Test
    void aValueMayStartWithADashOrContainEquals() throws UsageException {
        assertEquals("-x", parse(false, "-b", "-x").string(BUNDLE, ""));
        assertEquals("a=b", parse(false, "--bundle=a=b").string(BUNDLE, ""));
        assertEquals("", parse(false, "--bundle=").string(BUNDLE, ""));
    }

    @Test
    void booleanFlags() throws UsageException {
        assertTrue(parse(false, "--force").bool(FORCE));
        assertTrue(parse(false, "-f").bool(FORCE));
        assertTrue(parse(false, "-force=true").bool(FORCE));
        assertTrue(parse(false, "--force=1").bool(FORCE));
        assertFalse(parse(false, "--force=false").bool(FORCE));
        assertFalse(parse(false, "-f=0").bool(FORCE));
        assertTrue(parse(false, "-f=0").isSet(FORCE));
        assertFalse(parse(false, "c1").isSet(FORCE));
        // a boolean flag never takes the next argument as its value
        ParsedArgs a = parse(false, "--force", "false");
        assertTrue(a.bool(FORCE));
        assertEquals(List.of("false"), a.args());
    }

    @Test
    void integerFlags() throws UsageException {
        assertEquals(3, parse(false, "--preserve-fds", "3").integer(FDS, 0));
        assertEquals(16, parse(false, "--preserve-fds=0x10").integer(FDS, 0));
        assertEquals(8, parse(false, "--preserve-fds=010").integer(FDS, 0));
        assertEquals(-2, parse(false, "--preserve-fds=-2").integer(FDS, 0));
        assertEquals(0, parse(false).integer(FDS, 0));
        assertEquals("invalid value \"x\" for flag -preserve-fds: parse error", error(false, "--preserve-fds", "x"));
        assertEquals("invalid value \"09\" for flag -preserve-fds: parse error", error(false, "--preserve-fds=09"));
    }

    @Test
    void theFirstPositionalArgumentEndsTheFlagsWithoutReorder() throws UsageException {
        // global options: everything from the command name on belongs to the command
        ParsedArgs a = parse(false, "-f", "list", "--bundle", "x");
        assertTrue(a.bool(FORCE));
        assertEquals(List.of("list", "--bundle", "x"), a.args());
    }

    @Test
    void doubleDashEndsTheFlags() throws UsageException {
        ParsedArgs a = parse(true, "-f", "--", "-b", "c1");
        assertTrue(a.bool(FORCE));
        assertFalse(a.isSet(BUNDLE));
        assertEquals(List.of("-b", "c1"), a.args());
        assertEquals(List.of("-", "x"), parse(false, "-", "x").args());
    }

    @Test
    void flagsAfterTheArgumentsCountForCommands() throws UsageException {
        ParsedArgs a = parse(true, "c1", "--force");
        assertTrue(a.bool(FORCE));
        assertEquals(List.of("c1"), a.args());

        a = parse(true, "c1", "-b", "/b", "KILL");
        assertEquals("/b", a.string(BUNDLE, ""));
        assertEquals(List.of("c1", "KILL"), a.args());

        // urfave keeps the word after a flag next to it; for a boolean that ends the flags
        a = parse(true, "c1", "-f", "junk");
        assertEquals(List.of("junk", "c1"), a.args());

        // an unknown flag after the arguments stays an argument, as in runc
        assertEquals(List.of("c1", "-x"), parse(true, "c1", "-x").args());
        assertEquals(List.of("-b", "x", "-f", "c1"), ArgParser.reorder(FLAGS, List.of("-b", "x", "c1", "-f")).subList(0, 4));
    }

    @Test
    void errorsUseGoWording() {
        assertEquals("flag provided but not defined: -x", error(true, "-x", "c1"));
        assertEquals("flag provided but not defined: -nope", error(true, "--nope=1"));
        assertEquals("flag needs an argument: -b", error(true, "-b"));
        assertEquals("flag needs an argument: -bundle", error(false, "--bundle"));
        assertEquals("bad flag syntax: ---x", error(false, "---x"));
        assertEquals("bad flag syntax: -=x", error(false, "-=x"));
        assertEquals("invalid boolean value \"maybe\" for -force: parse error", error(false, "--force=maybe"));
    }

    @Test
    void usageHeadings() {
        UsageException flag = assertThrows(UsageException.class, () -> parse(true, "-x"));
        assertEquals("Incorrect Usage. flag provided but not defined: -x", flag.heading(". "));
        assertEquals("Incorrect Usage: flag provided but not defined: -x", flag.heading(": "));
        assertEquals("Incorrect Usage.", UsageException.arguments("m").heading(": "));
    }

    @Test
    void arity() throws UsageException {
        Command delete = new DeleteCommand();
        UsageException e = assertThrows(UsageException.class, () -> Arity.exactly(delete, parse(true), 1));
        assertEquals("berth: \"delete\" requires exactly 1 argument(s)", e.getMessage());
        e = assertThrows(UsageException.class, () -> Arity.atMost(delete, parse(true, "a", "b", "c"), 2));
        assertEquals("berth: \"delete\" requires a maximum of 2 argument(s)", e.getMessage());
        e = assertThrows(UsageException.class, () -> Arity.atLeast(delete, parse(true), 1));
        assertEquals("berth: \"delete\" requires a minimum of 1 argument(s)", e.getMessage());
    }
}
