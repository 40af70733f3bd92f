package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end, for everything that needs no container. */
class MainTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        Output output = new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Main(output).run(args);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void version() {
        assertEquals(0, run("--version"));
        assertTrue(out().startsWith("berth version " + Version.BERTH + "\nspec: 1.2.0\n"), out());
        out.reset();
        assertEquals(0, run("-v"));
        assertTrue(out().startsWith("berth version "));
    }

    @Test
    void theMavenVersionIsTheOneReported() {
        String maven = System.getProperty("berth.version");
        if (maven != null) assertEquals(maven, Version.BERTH);
    }

    @Test
    void help() {
        assertEquals(0, run());
        assertTrue(out().startsWith("NAME:\n   berth - "), out());
        out.reset();
        assertEquals(0, run("--help"));
        assertTrue(out().contains("GLOBAL OPTIONS:\n   --debug "), out());
        out.reset();
        assertEquals(0, run("delete", "--help"));
        assertTrue(out().startsWith("NAME:\n   berth delete - "), out());
        assertTrue(out().contains("   --force, -f  "), out());
        out.reset();
        assertEquals(0, run("help", "kill"));
        assertTrue(out().startsWith("NAME:\n   berth kill - "), out());
        assertEquals("", err());
    }

    @Test
    void anUnknownGlobalFlagIsAUsageError() {
        assertEquals(1, run("-x", "list"));
        assertTrue(out().startsWith("Incorrect Usage. flag provided but not defined: -x\n\nNAME:\n   berth - "), out());
        assertTrue(err().matches("time=\"[-0-9T:Z+]+\" level=error msg=\"flag provided but not defined: -x\"\n"), err());
    }

    @Test
    void anUnknownCommandFlagIsAUsageError() {
        assertEquals(1, run("delete", "-x", "c1"));
        assertTrue(out().startsWith("Incorrect Usage: flag provided but not defined: -x\n\nNAME:\n   berth delete - "), out());
        assertTrue(err().endsWith("level=error msg=\"flag provided but not defined: -x\"\n"), err());
    }

    @Test
    void aWrongArgumentCountIsAUsageError() {
        assertEquals(1, run("delete"));
        assertTrue(out().startsWith("Incorrect Usage.\n\nNAME:\n   berth delete - "), out());
        assertTrue(err().endsWith("msg=\"berth: \\\"delete\\\" requires exactly 1 argument(s)\"\n"), err());
    }

    @Test
    void unknownAndLaterCommands() {
        assertEquals(1, run("frobnicate"));
        assertTrue(err().contains("msg=\"berth: unknown command \\\"frobnicate\\\""), err());
        err.reset();
        assertEquals(1, run("checkpoint", "-x", "c1"));
        assertTrue(err().endsWith("msg=\"berth: \\\"checkpoint\\\" is not supported yet (see README)\"\n"), err());
        assertEquals("", out());
    }

    @Test
    void execFailuresExit255LikeRuncs() {
        assertEquals(255, run("--root", "/nonexistent/berth-test", "exec", "c1", "sh", "-c", "true"));
        assertTrue(err().endsWith("msg=\"exec failed: container does not exist: c1\"\n"), err());
        err.reset();
        assertEquals(255, run("--root", "/nonexistent/berth-test", "exec", "--user", "abc", "c1", "true"));
        assertTrue(err().endsWith("msg=\"exec failed: --user: \\\"abc\\\" is not a valid id (a number from 0 to "
                + "4294967294)\"\n"), err());
        err.reset();
        assertEquals(255, run("--root", "/nonexistent/berth-test", "exec", "--cgroup", "x", "c1", "true"));
        assertTrue(err().endsWith("msg=\"exec failed: --cgroup is not supported yet (see README)\"\n"), err());
    }

    @Test
    void execNeedsACommandUnlessAProcessFileIsGiven() {
        assertEquals(1, run("exec", "c1"));
        assertTrue(err().endsWith("msg=\"berth: \\\"exec\\\" requires a minimum of 2 argument(s)\"\n"), err());
    }

    /** runc's exec does not reorder: flags after the id belong to the command. */
    @Test
    void execFlagsAfterTheIdBelongToTheCommand() throws Exception {
        ParsedArgs a = ArgParser.parse(Flag.withHelp(new ExecCommand().flags()),
                java.util.List.of("-e", "A=1", "--env=B=2", "-c", "CAP_X", "c1", "sh", "-c", "-t"), false);
        assertEquals(java.util.List.of("c1", "sh", "-c", "-t"), a.args());
        assertEquals(java.util.List.of("A=1", "B=2"), a.strings(ExecCommand.ENV));
        dev.berth.api.ExecOptions o = ExecCommand.options(a);
        assertEquals(java.util.List.of("sh", "-c", "-t"), o.args());
        assertEquals(java.util.List.of("CAP_X"), o.capabilities());
        assertEquals(false, o.tty());
    }

    @Test
    void badIdsFailBeforeAnythingIsTouched() {
        assertEquals(1, run("--root", "/nonexistent/berth-test", "state", "a/b"));
        assertTrue(err().endsWith("msg=\"invalid container id format: a/b\"\n"), err());
        err.reset();
        assertEquals(1, run("--root", "/nonexistent/berth-test", "kill", "..", "KILL"));
        assertTrue(err().endsWith("msg=\"invalid container id format: ..\"\n"), err());
    }

    @Test
    void errorsGoToTheLogFileAndToStderr(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("log.json");
        assertEquals(1, run("--log", log.toString(), "--log-format", "json", "--root", dir.toString(), "delete", "a/b"));
        assertEquals("invalid container id format: a/b\n", err());
        String line = Files.readString(log);
        assertTrue(line.matches("\\{\"level\":\"error\",\"msg\":\"invalid container id format: a/b\",\"time\":\"[^\"]+\"}\n"),
                line);
        // appended, never truncated
        assertEquals(1, run("--log=" + log, "--log-format=json", "--root=" + dir, "state", ""));
        assertEquals(2, Files.readString(log).lines().count());
    }

    @Test
    void aLogFileThatCannotBeOpenedIsReportedAsGoWould(@TempDir Path dir) {
        assertEquals(1, run("--log", dir.resolve("missing/log.json").toString(), "list"));
        assertTrue(err().endsWith("msg=\"open " + dir.resolve("missing/log.json") + ": no such file or directory\"\n"),
                err());
    }

    @Test
    void globalOptionErrors() {
        assertEquals(1, run("--root", "/", "list"));
        assertTrue(err().endsWith("msg=\"Option --root argument should not be set to /\"\n"), err());
        err.reset();
        assertEquals(1, run("--log-format", "xml", "list"));
        assertTrue(err().endsWith("msg=\"invalid log-format: xml\"\n"), err());
    }

    @Test
    void unsupportedCreateFlagsSaySo() {
        assertEquals(1, run("--root", "/nonexistent/berth-test", "create", "--pidfd-socket", "/s", "c1"));
        assertTrue(err().endsWith("msg=\"berth create failed: --pidfd-socket is not supported yet (see README)\"\n"), err());
        err.reset();
        assertEquals(1, run("--root", "/nonexistent/berth-test", "run", "--preserve-fds=-1", "c1"));
        assertTrue(err().endsWith("msg=\"berth run failed: --preserve-fds: -1 must not be negative\"\n"), err());
        err.reset();
        assertEquals(1, run("--systemd-cgroup", "--root", "/nonexistent/berth-test", "create", "c1"));
        assertTrue(err().contains("--systemd-cgroup is not supported yet"), err());
    }

    @Test
    void specRefusesAnExistingConfig(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "mine");
        assertEquals(1, run("spec", "--bundle", dir.toString()));
        assertTrue(err().endsWith("msg=\"File config.json exists. Remove it first\"\n"), err());
        assertEquals("mine", Files.readString(dir.resolve("config.json")));
    }

    @Test
    void specWritesTabIndentedJson(@TempDir Path dir) throws IOException {
        assertEquals(0, run("spec", "-b", dir.toString()));
        String json = Files.readString(dir.resolve("config.json"));
        assertTrue(json.startsWith("{\n\t\"ociVersion\": \""), json);
        assertTrue(json.endsWith("\n}"), json);
        assertEquals("", out());
    }

    @Test
    void specNeedsAnExistingBundle(@TempDir Path dir) {
        assertEquals(1, run("spec", "-b", dir.resolve("missing").toString()));
        assertTrue(err().contains("no such file or directory"), err());
    }
}
