package dev.berth.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.it.support.Bundle;
import dev.berth.it.support.ContainerTestBase;
import dev.berth.it.support.Facts;
import dev.berth.it.support.Host;
import dev.berth.it.support.Leftovers;
import dev.berth.it.support.Result;
import dev.berth.it.support.RuntimeUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Bundles the runtime must refuse: exit status 1, an error that names the field or file, and
 * nothing left behind (no container in list, no state entry, no mount, no process, no cgroup).
 */
class BadInputIT extends ContainerTestBase {

    /** Runs create on {@code b} and checks the refusal; {@code words} are what the error must mention (any of them). */
    private Result assertRefused(Bundle b, String... words) {
        Result r = cli.exec("create", "--bundle", b.dir().toString(), b.id()).run();
        assertEquals(1, r.exit(), "create must fail with exit status 1\n" + r.describe());
        String text = (r.stderr() + "\n" + r.log()).toLowerCase(Locale.ROOT);
        boolean named = words.length == 0;
        for (String w : words) named |= text.contains(w.toLowerCase(Locale.ROOT));
        assertTrue(named, "the error must mention one of " + String.join(", ", words) + "\n" + r.describe());
        assertFalse(r.stderr().isBlank(), "the error is printed on stderr\n" + r.describe());
        Leftovers.assertNone(cli, b);
        return r;
    }

    @Test
    void missingRootfs() throws Exception {
        Bundle b = sb.bundle("norootfs").sh("true");
        b.obj("root").put("path", "no-such-rootfs");
        b.write();
        assertRefused(b, "no-such-rootfs");
    }

    /**
     * runc 1.1 reports only the decoder's "unexpected EOF", without naming the file; the name of
     * config.json is required from berth only.
     */
    @Test
    void malformedJson() throws Exception {
        Bundle b = sb.bundle("badjson");
        Files.writeString(b.dir().resolve("config.json"), "{\"ociVersion\": \"1.0.2\", \"process\": {");
        if (RuntimeUnderTest.isBerth()) assertRefused(b, "config.json");
        else assertRefused(b);
    }

    @Test
    void fieldOfTheWrongType() throws Exception {
        Bundle b = sb.bundle("badtype");
        b.process().put("args", "not-a-list");
        b.write();
        assertRefused(b, "args");
    }

    @Test
    void missingConfigJson() {
        Bundle b = sb.bundle("noconfig");
        assertRefused(b, "config.json");
    }

    @Test
    void relativeCwd() {
        Bundle b = sb.bundle("relcwd").sh("true");
        b.process().put("cwd", "tmp");
        b.write();
        assertRefused(b, "cwd");
    }

    @Test
    void unknownNamespaceType() {
        Bundle b = sb.bundle("badns").sh("true").namespace("bogusns");
        b.write();
        assertRefused(b, "bogusns");
    }

    @Test
    void commandNotFoundInTheImage() {
        Bundle b = sb.bundle("nocmd").args("no-such-command", "arg");
        b.write();
        assertRefused(b, "executable file not found");
    }

    @Test
    void absoluteCommandMissingFromTheImage() {
        Bundle b = sb.bundle("noabs").args("/opt/no/such/binary");
        b.write();
        assertRefused(b, "/opt/no/such/binary");
    }

    @Test
    void containerIdsThatAreNotNames() {
        Bundle b = sb.bundle("badid").sh("true");
        b.write();
        for (String id : new String[] {"../escape", "a/b", ""}) {
            Result r = cli.exec("create", "--bundle", b.dir().toString(), id).run();
            assertEquals(1, r.exit(), "create with id '" + id + "' must fail\n" + r.describe());
        }
        assertFalse(Files.exists(cli.root().resolveSibling("escape")), "no state directory outside --root");
        assertEquals(java.util.List.of(), cli.listIds());
        assertEquals(java.util.List.of(), Host.processesInCgroup(b.cgroupsPath()));
    }

    /**
     * runtime-spec 1.1 and later: a mount destination "MAY be a relative path, in which case it
     * MUST be interpreted as relative to /". A bundle declaring ociVersion 1.1.0 with one must run,
     * with the mount at /DEST (runc 1.1 does so, with a warning), never relative to the runtime's
     * working directory or the bundle.
     */
    @Test
    void relativeMountDestinationOfASpec11BundleIsRelativeToRoot() throws Exception {
        Bundle b = relativeDestinationBundle("reldest11", "1.1.0");
        Path cwd = sb.mkdir("cwd");
        Files.createDirectories(cwd.resolve("relative-dest"));
        Facts f = Facts.of(cli.exec(cli.withBundle("run", b)).dir(cwd).run());
        assertTrue(f.get("line").contains(" tmpfs "), f.why("a relative destination is interpreted relative to /"));
        assertEquals("/relative-dest", Host.parseMountInfo(f.get("line")).get(0).mountPoint(), f.why("mount point"));
        assertEquals(java.util.List.of(), Host.mountsMentioning(cwd), "nothing was mounted relative to the working directory");
        assertFalse(Files.exists(b.dir().resolve("relative-dest")), "nor relative to the bundle");
    }

    /**
     * runtime-spec 1.0 required absolute destinations, so for a bundle declaring 1.0.2 a runtime may
     * refuse one (exit 1, naming it, nothing left) or accept it as relative to / like runc.
     */
    @Test
    void relativeMountDestinationOfASpec10BundleIsRefusedOrRelativeToRoot() throws Exception {
        Bundle b = relativeDestinationBundle("reldest10", "1.0.2");
        Path cwd = sb.mkdir("cwd");
        Files.createDirectories(cwd.resolve("relative-dest"));
        Result r = cli.exec(cli.withBundle("run", b)).dir(cwd).run();
        if (r.exit() == 0) {
            Facts f = Facts.of(r);
            assertEquals("/relative-dest", Host.parseMountInfo(f.get("line")).get(0).mountPoint(),
                    f.why("accepted: the mount is relative to /"));
        } else {
            assertEquals(1, r.exit(), "a refusal exits 1\n" + r.describe());
            assertTrue(r.allText().contains("relative-dest"), "the refusal names the destination\n" + r.describe());
            Leftovers.assertNone(cli, b);
        }
        assertEquals(java.util.List.of(), Host.mountsMentioning(cwd), "nothing was mounted relative to the working directory");
        assertFalse(Files.exists(b.dir().resolve("relative-dest")), "nor relative to the bundle");
    }

    private Bundle relativeDestinationBundle(String name, String ociVersion) {
        Bundle b = sb.bundle(name).mount("relative-dest", "tmpfs", "tmpfs", "mode=750")
                .sh("echo \"line=$(awk '$5 == \"/relative-dest\"' /proc/self/mountinfo)\"");
        b.config().put("ociVersion", ociVersion);
        return b;
    }
}
