package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A bundle for the unprivileged test user: the runtime's own {@code spec --rootless}, with
 * container root mapped to the user and ids 1-65536 to the user's /etc/subuid range.
 */
public final class RootlessBundle {
    private RootlessBundle() {
    }

    public static Bundle of(Sandbox sb, String name, String script) {
        Bundle b = sb.bundle(name);
        Path d = sb.mkdir("spec-" + name);
        Exec.of(RuntimeUnderTest.binary().toString(), "spec", "--rootless", "--bundle", d.toString()).scratch(d).run()
                .assertOk();
        Map<String, Object> spec;
        try {
            spec = Json.parseObject(Files.readString(d.resolve("config.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        b.config().clear();
        b.config().putAll(spec);
        b.process().put("terminal", false);
        b.obj("root").put("readonly", false);
        b.obj("root").put("path", "rootfs");
        b.sh(script);
        // The default capabilities (three) do not include chown, which the ownership test needs.
        Map<String, Object> caps = b.obj("process", "capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            List<Object> list = Bundle.list(caps, set);
            if (!list.contains("CAP_CHOWN")) list.add("CAP_CHOWN");
        }
        long sub = Unprivileged.subStart();
        b.linux().put("uidMappings", List.of(map(0, Unprivileged.uid(), 1), map(1, sub, 65536)));
        b.linux().put("gidMappings", List.of(map(0, Unprivileged.gid(), 1), map(1, sub, 65536)));
        return b;
    }

    public static Map<String, Object> map(long container, long host, long size) {
        return Map.of("containerID", container, "hostID", host, "size", size);
    }
}
