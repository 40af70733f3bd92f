package dev.berth.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.spec.Spec;
import dev.berth.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole plans for real config.json files, rendered with PlanText and compared with checked-in
 * text. After a deliberate change, regenerate with -Dberth.golden.update=true and review the diff.
 */
class PlanGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/plan");

    /** cgroup v1 as on these machines: combined, single and named hierarchies. */
    static final CgroupLayout V1 = new CgroupLayout(false, List.of(
            new CgroupLayout.Hierarchy("cpu,cpuacct", Path.of("/sys/fs/cgroup/cpu,cpuacct"), "/berth/c1"),
            new CgroupLayout.Hierarchy("memory", Path.of("/sys/fs/cgroup/memory"), "/berth/c1"),
            new CgroupLayout.Hierarchy("net_cls,net_prio", Path.of("/sys/fs/cgroup/net_cls,net_prio"), "/berth/c1"),
            new CgroupLayout.Hierarchy("name=systemd", Path.of("/sys/fs/cgroup/systemd"), "/berth/c1")));

    static final CgroupLayout V2 = new CgroupLayout(true, List.of(
            new CgroupLayout.Hierarchy("", Path.of("/sys/fs/cgroup"), "/berth/c1")));

    @TempDir
    Path bundle;

    @Test
    void defaultSpec() throws IOException {
        check("default", new PlanContext(Path.of("/bundle/rootfs"), bundle, false, true, Protocol.LOG_INFO, V1, true,
                true));
    }

    @Test
    void everyMountOptionKind() throws IOException {
        check("mount-options", new PlanContext(Path.of("/bundle/rootfs"), bundle, false, false, Protocol.LOG_DEBUG, V2,
                true, false));
    }

    @Test
    void joinedNamespacesAndHooks() throws IOException {
        check("join-hooks", new PlanContext(Path.of("/bundle/rootfs"), bundle, true, true, Protocol.LOG_WARN, V1, true,
                true));
    }

    private void check(String name, PlanContext ctx) throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        Files.createDirectories(bundle.resolve("data"));
        Files.writeString(bundle.resolve("app.conf"), "x=1\n");
        Files.copy(DIR.resolve(name + ".json"), bundle.resolve("config.json"));
        Spec spec = SpecLoader.load(bundle);
        String text = PlanText.render(PlanBuilder.build(spec, ctx)).replace(bundle.toString(), "/bundle");
        Path golden = DIR.resolve(name + ".plan");
        if (Boolean.getBoolean("berth.golden.update")) Files.writeString(golden, text);
        assertEquals(Files.readString(golden), text, "plan of " + name + ".json differs from " + golden);
    }
}
