package dev.berth.spec;

import static dev.berth.spec.TestConfigs.add;
import static dev.berth.spec.TestConfigs.json;
import static dev.berth.spec.TestConfigs.minimal;
import static dev.berth.spec.TestConfigs.put;
import static dev.berth.spec.TestConfigs.remove;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest extends SpecAssertions {
    @TempDir
    Path dir;

    @Override
    Path dir() {
        return dir;
    }

    @Test
    void minimalConfigLoadsWithDefaults() throws IOException {
        Spec s = load(minimal());
        assertEquals("1.2.0", s.ociVersion());
        assertEquals(dir.resolve("rootfs").toRealPath(), s.root().path());
        assertEquals(List.of("sh"), s.process().args());
        assertEquals(ProcessSpec.User.ROOT, s.process().user());
        assertEquals(Hooks.NONE, s.hooks());
        assertEquals(List.of(), s.mounts());
        assertNull(s.hostname());
        assertEquals(List.of(), s.warnings());
        assertEquals(dir.toAbsolutePath(), s.bundle());
    }

    @Test
    void missingConfigSaysWhichFile() {
        BerthException e = assertThrows(BerthException.class, () -> SpecLoader.load(dir));
        assertEquals("open " + dir.resolve("config.json") + ": no such file or directory", e.getMessage());
    }

    @Test
    void malformedJsonGivesLineAndColumn() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\n  \"ociVersion\": \"1.2.0\",\n  \"root\" {}\n}");
        BerthException e = assertThrows(BerthException.class, () -> SpecLoader.load(dir));
        assertEquals("config.json: line 3, column 10: expected ':'", e.getMessage());
    }

    @Test
    void topLevelMustBeAnObject() throws IOException {
        Files.writeString(dir.resolve("config.json"), "[]");
        BerthException e = assertThrows(BerthException.class, () -> SpecLoader.load(dir));
        assertEquals("config.json: must contain a JSON object", e.getMessage());
    }

    @Test
    void ociVersionIsRequiredAndSemVer() {
        assertError(remove(minimal(), "ociVersion"), "config.json: ociVersion: is required");
        assertError(put(minimal(), "ociVersion", 1L), "config.json: ociVersion: must be a string");
        assertError(put(minimal(), "ociVersion", "1.2"), "config.json: ociVersion: \"1.2\" is not a SemVer version");
        assertError(put(minimal(), "ociVersion", "2.0.0"),
                "config.json: ociVersion: 2.0.0 is not supported (berth implements runtime-spec 1.0.0 to 1.2.0)");
        assertEquals("1.0.2-dev", load(put(minimal(), "ociVersion", "1.0.2-dev")).ociVersion());
    }

    @Test
    void newerMinorVersionIsAcceptedWithAWarning() {
        Spec s = load(put(minimal(), "ociVersion", "1.3.0"));
        assertEquals(List.of("config.json: ociVersion: 1.3.0 is newer than 1.2.0; properties berth does not know "
                + "are ignored"), s.warnings());
        assertEquals(1, load(put(minimal(), "ociVersion", "1.99999999999.0")).warnings().size());
        assertEquals(List.of(), load(put(minimal(), "ociVersion", "1.2.1")).warnings());
    }

    @Test
    void rootPathIsRequiredAndMustBeADirectory() throws IOException {
        assertError(remove(minimal(), "root"), "config.json: root: is required");
        assertError(remove(minimal(), "root.path"), "config.json: root.path: is required");
        assertError(put(minimal(), "root.path", "nothere"),
                "config.json: root.path: " + dir.toAbsolutePath().resolve("nothere") + " does not exist");
        Files.writeString(dir.resolve("file"), "");
        assertError(put(minimal(), "root.path", "file"),
                "config.json: root.path: " + dir.toAbsolutePath().resolve("file") + " is not a directory");
        assertError(put(minimal(), "root.readonly", "yes"), "config.json: root.readonly: must be a boolean");
    }

    @Test
    void absoluteRootPathIsTakenAsIs() throws IOException {
        Path other = Files.createDirectories(dir.resolve("elsewhere/rootfs"));
        Spec s = load(put(minimal(), "root.path", other.toString()));
        assertEquals(other.toRealPath(), s.root().path());
    }

    @Test
    void unknownPropertiesAreWarningsWithTheirPath() {
        Map<String, Object> c = minimal();
        put(c, "proces", json("{}"));
        put(c, "linux.namespaces", json("[{\"type\": \"mount\", \"pth\": \"/x\"}]"));
        put(c, "process.user", json("{\"uid\": 0, \"guid\": 3}"));
        Spec s = load(c);
        assertEquals(List.of(
                "config.json: unknown property \"process.user.guid\" ignored",
                "config.json: unknown property \"linux.namespaces[0].pth\" ignored",
                "config.json: unknown property \"proces\" ignored"), s.warnings());
    }

    @Test
    void fieldsNotAppliedYetAreWarnings() {
        Map<String, Object> c = minimal();
        put(c, "process.consoleSize", json("{\"height\": 24, \"width\": 80}"));
        put(c, "process.noNewPrivileges", true);
        put(c, "linux.seccomp", json("{\"defaultAction\": \"SCMP_ACT_ALLOW\"}"));
        put(c, "linux.personality", json("{\"domain\": \"LINUX\"}"));
        put(c, "linux.intelRdt", json("{\"closID\": \"x\"}"));
        put(c, "linux.resources", json("{}"));
        Spec s = load(c);
        assertEquals(List.of("config.json: linux.intelRdt is not applied by this berth version"), s.warnings());
    }

    @Test
    void zeroValuesOfFieldsNotAppliedSayNothing() {
        Map<String, Object> c = minimal();
        put(c, "process.noNewPrivileges", false);
        put(c, "process.rlimits", json("[]"));
        put(c, "linux.mountLabel", "");
        assertEquals(List.of(), load(c).warnings());
    }

    @Test
    void otherPlatformsAreIgnoredWithAWarning() {
        Map<String, Object> c = put(minimal(), "windows", json("{\"layerFolders\": [\"C:\\\\x\"]}"));
        put(c, "process.commandLine", "cmd.exe");
        assertEquals(List.of(
                "config.json: process.commandLine applies to another platform than Linux and is ignored",
                "config.json: windows applies to another platform than Linux and is ignored"), load(c).warnings());
    }

    @Test
    void rawSectionsAreKeptDeeplyAndImmutably() {
        Map<String, Object> c = put(minimal(), "linux.intelRdt", json("{\"closID\": \"x\", \"l3CacheSchema\": \"L3:0=f\"}"));
        Spec s = load(c);
        Map<String, Object> rdt = s.linux().intelRdt();
        assertEquals("x", rdt.get("closID"));
        assertThrows(UnsupportedOperationException.class, () -> rdt.put("closID", "y"));
    }

    @Test
    void resourcesAreReadAndAppliedWithoutAWarning() {
        Map<String, Object> c = put(minimal(), "linux.resources", json("{\"memory\": {\"limit\": 1048576}}"));
        Spec s = load(c);
        assertEquals(1048576L, s.linux().resources().memory().limit());
        assertEquals(List.of(), s.warnings());
    }

    @Test
    void annotationsMustBeStrings() {
        assertEquals(Map.of("a", "b"), load(put(minimal(), "annotations", json("{\"a\": \"b\"}"))).annotations());
        assertError(put(minimal(), "annotations", json("{\"a\": 1}")),
                "config.json: annotations[\"a\"]: must be a string");
    }

    @Test
    void hostnameNeedsAUtsNamespace() {
        assertError(put(minimal(), "hostname", "box"),
                "config.json: hostname: needs a UTS namespace, and linux.namespaces has none");
        assertError(put(minimal(), "domainname", "example.org"),
                "config.json: domainname: needs a UTS namespace, and linux.namespaces has none");
        Map<String, Object> c = add(put(minimal(), "hostname", "box"), "linux.namespaces", json("{\"type\": \"uts\"}"));
        assertEquals("box", load(c).hostname());
        Map<String, Object> joined = add(put(minimal(), "hostname", "box"), "linux.namespaces",
                json("{\"type\": \"uts\", \"path\": \"/proc/self/ns/uts\"}"));
        assertEquals("box", load(joined).hostname());
        assertNull(load(put(minimal(), "hostname", "")).hostname());
    }

    @Test
    void hooksNeedAbsolutePathsAndPositiveTimeouts() {
        assertError(put(minimal(), "hooks", json("{\"prestart\": [{\"path\": \"bin/true\"}]}")),
                "config.json: hooks.prestart[0].path: \"bin/true\" must be an absolute path");
        assertError(put(minimal(), "hooks", json("{\"poststop\": [{\"args\": [\"x\"]}]}")),
                "config.json: hooks.poststop[0].path: is required");
        assertError(put(minimal(), "hooks", json("{\"createRuntime\": [{\"path\": \"/bin/true\", \"timeout\": 0}]}")),
                "config.json: hooks.createRuntime[0].timeout: must be greater than 0");
        assertError(put(minimal(), "hooks", json("{\"startContainer\": {\"path\": \"/bin/true\"}}")),
                "config.json: hooks.startContainer: must be an array of objects");
        Spec s = load(put(minimal(), "hooks", json("""
                {"createContainer": [{"path": "/bin/hook", "args": ["hook", "a"], "env": ["X=1"], "timeout": 5}]}""")));
        assertEquals(List.of(new Hook("/bin/hook", List.of("hook", "a"), List.of("X=1"), 5)),
                s.hooks().byName("createContainer"));
    }

    @Test
    void stringsMustNotContainNul() {
        assertError(put(minimal(), "process.cwd", "/a\u0000b"), "config.json: process.cwd: must not contain a NUL character");
    }

    @Test
    void parseResolvesAgainstTheGivenBundle() throws IOException {
        Files.createDirectories(dir.resolve("rootfs"));
        Spec s = SpecLoader.parse(dev.berth.json.Json.write(minimal(), false), dir);
        assertEquals(dir.resolve("rootfs").toRealPath(), s.root().path());
    }
}
