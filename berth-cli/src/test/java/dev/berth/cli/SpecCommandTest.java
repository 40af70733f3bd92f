package dev.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecCommandTest {
    @Test
    void writesConfigJsonWithoutANewlineAtTheEnd(@TempDir Path dir) throws IOException {
        SpecCommand.write(dir, "{\n\t\"a\": 1\n}");
        assertEquals("{\n\t\"a\": 1\n}", Files.readString(dir.resolve("config.json")));
    }

    @Test
    void refusesAnExistingConfigJsonAndLeavesItAlone(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "keep me");
        BerthException e = assertThrows(BerthException.class, () -> SpecCommand.write(dir, "{}"));
        assertEquals("File config.json exists. Remove it first", e.getMessage());
        assertEquals("keep me", Files.readString(dir.resolve("config.json")));
    }

    @Test
    void theBundleMustBeADirectory(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "");
        assertEquals("chdir " + file + ": not a directory",
                assertThrows(BerthException.class, () -> SpecCommand.write(file, "{}")).getMessage());
        assertEquals("chdir " + dir.resolve("nope") + ": no such file or directory",
                assertThrows(BerthException.class, () -> SpecCommand.write(dir.resolve("nope"), "{}")).getMessage());
    }
}
