package dev.berth.plan;

import static dev.berth.spec.TestConfigs.add;
import static dev.berth.spec.TestConfigs.json;
import static dev.berth.spec.TestConfigs.minimal;
import static dev.berth.spec.TestConfigs.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.api.BerthException;
import dev.berth.spec.Spec;
import dev.berth.spec.SpecLoader;
import dev.berth.spec.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanBuilderTest {
    /** A config without process.capabilities gets empty sets (runc up to 1.2). */
    static final String NO_CAPS = "caps_bounding=0 caps_effective=0 caps_permitted=0 caps_inheritable=0 caps_ambient=0";
    @TempDir
    Path dir;

    private PlanContext ctx(CgroupLayout cgroups, boolean noPivot, boolean initialUserNs) {
        return new PlanContext(Path.of("/r"), dir, noPivot, true, Protocol.LOG_INFO, cgroups, initialUserNs, false);
    }

    private List<String> plan(Map<String, Object> config) {
        return plan(config, ctx(CgroupLayout.NONE, false, true));
    }

    private List<String> plan(Map<String, Object> config, PlanContext ctx) {
        Spec spec = SpecLoader.load(TestConfigs.bundle(dir, config));
        return Arrays.asList(PlanText.render(PlanBuilder.build(spec, ctx)).split("\n"));
    }

    private static List<String> ops(List<String> plan, String prefix) {
        return plan.stream().filter(l -> l.startsWith(prefix)).toList();
    }

    private static Map<String, Object> withMount(String mount) {
        return add(minimal(), "mounts", json(mount));
    }

    @Test
    void minimalPlan() {
        assertEquals(List.of(
                "P_MODE HELPER_CREATE",
                "P_ROOTFS /r",
                "P_LOG_LEVEL LOG_INFO",
                "P_FIFO 1",
                "P_NEW_NS CLONE_NEWNS",
                "P_PROCESS arg=sh cwd=/ uid=0 gid=0 umask=022 " + NO_CAPS,
                "OP_PREPARE_ROOT propagation=MS_REC|MS_SLAVE",
                "OP_MKNOD target=/dev/null mode=020666 major=1 minor=3 uid=0 gid=0",
                "OP_MKNOD target=/dev/random mode=020666 major=1 minor=8 uid=0 gid=0",
                "OP_MKNOD target=/dev/full mode=020666 major=1 minor=7 uid=0 gid=0",
                "OP_MKNOD target=/dev/tty mode=020666 major=5 minor=0 uid=0 gid=0",
                "OP_MKNOD target=/dev/zero mode=020666 major=1 minor=5 uid=0 gid=0",
                "OP_MKNOD target=/dev/urandom mode=020666 major=1 minor=9 uid=0 gid=0",
                "OP_SYMLINK source=pts/ptmx target=/dev/ptmx",
                "OP_SYMLINK source=/proc/self/fd target=/dev/fd",
                "OP_SYMLINK source=/proc/self/fd/0 target=/dev/stdin",
                "OP_SYMLINK source=/proc/self/fd/1 target=/dev/stdout",
                "OP_SYMLINK source=/proc/self/fd/2 target=/dev/stderr",
                "OP_PIVOT_ROOT"), plan(minimal()));
    }

    @Test
    void aProcessIsRequired() {
        Spec spec = SpecLoader.load(TestConfigs.bundle(dir, TestConfigs.remove(minimal(), "process")));
        BerthException e = assertThrows(BerthException.class,
                () -> PlanBuilder.build(spec, ctx(CgroupLayout.NONE, false, true)));
        assertEquals("config.json: process: is required to create a container", e.getMessage());
    }

    @Test
    void namespacesNewAndJoined() {
        Map<String, Object> c = minimal();
        add(c, "linux.namespaces", json("{\"type\": \"pid\"}"));
        add(c, "linux.namespaces", json("{\"type\": \"network\", \"path\": \"/proc/self/ns/net\"}"));
        add(c, "linux.namespaces", json("{\"type\": \"time\"}"));
        put(c, "linux.timeOffsets", json("{\"boottime\": {\"secs\": -5, \"nanosecs\": 7}}"));
        List<String> p = plan(c);
        assertEquals(List.of("P_NEW_NS CLONE_NEWTIME|CLONE_NEWNS|CLONE_NEWPID"), ops(p, "P_NEW_NS"));
        assertEquals(List.of("P_JOIN_NS nstype=CLONE_NEWNET path=/proc/self/ns/net"), ops(p, "P_JOIN_NS"));
        assertEquals(List.of("P_TIME_OFFSET clock=CLOCK_BOOTTIME offset_sec=-5 offset_nsec=7"), ops(p, "P_TIME_OFFSET"));
    }

    @Test
    void processWithUserAndUmask() {
        Map<String, Object> c = put(minimal(), "process", json("""
                {"args": ["/bin/echo", "a b"], "env": ["X=1"], "cwd": "/home",
                 "user": {"uid": 5, "gid": 6, "umask": 2, "additionalGids": [7]}}"""));
        assertEquals(List.of("P_PROCESS arg=/bin/echo arg=\"a b\" env=X=1 cwd=/home uid=5 gid=6 additional_gid=7 umask=02 " + NO_CAPS),
                ops(plan(c), "P_PROCESS"));
    }

    @Test
    void terminalAsksForAConsoleWithItsSize() {
        Map<String, Object> c = put(minimal(), "process.terminal", true);
        put(c, "process.consoleSize", json("{\"height\": 30, \"width\": 100}"));
        List<String> p = plan(c);
        assertEquals(List.of("P_CONSOLE 1"), ops(p, "P_CONSOLE"));
        assertTrue(ops(p, "P_PROCESS").getFirst().endsWith("console_height=30 console_width=100"),
                ops(p, "P_PROCESS").toString());
        assertTrue(ops(plan(minimal()), "P_CONSOLE").isEmpty(), "no console without process.terminal");
    }

    @Test
    void passedDescriptorsAreCounted() {
        Spec spec = SpecLoader.load(TestConfigs.bundle(dir, minimal()));
        String text = PlanText.render(PlanBuilder.build(spec, ctx(CgroupLayout.NONE, false, true), 3, new java.util.ArrayList<>()));
        assertTrue(text.contains("P_PRESERVE_FDS 3\n"), text);
        assertFalse(PlanText.render(PlanBuilder.build(spec, ctx(CgroupLayout.NONE, false, true))).contains("PRESERVE"));
    }

    @Test
    void execPlanJoinsTheInitAndEncodesTheProcessAsCreateDoes() {
        Spec spec = SpecLoader.load(TestConfigs.bundle(dir, put(minimal(), "process.terminal", true)));
        byte[] plan = ExecPlan.build(spec.process(), spec.linux(), new java.util.ArrayList<>(), List.of(new ExecPlan.Join(0x20000, "/proc/9/ns/mnt"),
                new ExecPlan.Join(0x10000000, "/proc/9/ns/user")), true, 2, Protocol.LOG_DEBUG);
        List<String> p = Arrays.asList(PlanText.render(plan).split("\n"));
        assertEquals(List.of("P_MODE HELPER_EXEC"), ops(p, "P_MODE"));
        assertEquals(List.of("P_JOIN_PIDFD 1"), ops(p, "P_JOIN_PIDFD"));
        assertEquals(List.of("P_CONSOLE 1"), ops(p, "P_CONSOLE"));
        assertEquals(List.of("P_PRESERVE_FDS 2"), ops(p, "P_PRESERVE_FDS"));
        assertEquals(List.of("P_JOIN_NS nstype=CLONE_NEWNS path=/proc/9/ns/mnt",
                "P_JOIN_NS nstype=CLONE_NEWUSER path=/proc/9/ns/user"), ops(p, "P_JOIN_NS"));
        assertEquals(ops(plan(put(minimal(), "process.terminal", true)), "P_PROCESS"), ops(p, "P_PROCESS"));
        assertTrue(ops(p, "OP_").isEmpty(), "exec runs no operations");
    }

    @Test
    void hooksOpWhenAnyHookRunsBeforeTheStart() {
        assertTrue(ops(plan(minimal()), "OP_HOOKS").isEmpty());
        assertTrue(ops(plan(put(minimal(), "hooks", json("{\"poststart\": [{\"path\": \"/x\"}]}"))), "OP_HOOKS")
                .isEmpty());
        for (String kind : List.of("prestart", "createRuntime", "createContainer", "startContainer")) {
            List<String> p = plan(put(minimal(), "hooks", json("{\"" + kind + "\": [{\"path\": \"/x\"}]}")));
            assertEquals(List.of("OP_HOOKS"), ops(p, "OP_HOOKS"), kind);
            assertTrue(p.indexOf("OP_HOOKS") < p.indexOf("OP_PIVOT_ROOT"));
            assertTrue(p.indexOf("OP_HOOKS") > p.indexOf("OP_SYMLINK source=/proc/self/fd/2 target=/dev/stderr"));
        }
        List<String> p = plan(put(minimal(), "hooks", json("{\"prestart\": [{\"path\": \"/x\"}]}")));
        assertTrue(ops(p, "P_HOOK").isEmpty(), "prestart hooks run in the parent");
    }

    @Test
    void noPivotChrootsAndRefusesAPrivateRoot() {
        assertEquals(List.of("OP_CHROOT"), ops(plan(minimal(), ctx(CgroupLayout.NONE, true, true)), "OP_CH"));
        Map<String, Object> c = put(minimal(), "linux.rootfsPropagation", "rprivate");
        Spec spec = SpecLoader.load(TestConfigs.bundle(dir, c));
        BerthException e = assertThrows(BerthException.class,
                () -> PlanBuilder.build(spec, ctx(CgroupLayout.NONE, true, true)));
        assertEquals("config.json: linux.rootfsPropagation: \"rprivate\" is not safe without pivot_root (--no-pivot)",
                e.getMessage());
    }

    @Test
    void rootPropagation() {
        List<String> shared = plan(put(minimal(), "linux.rootfsPropagation", "shared"));
        assertEquals(List.of("OP_PREPARE_ROOT propagation=MS_SHARED"), ops(shared, "OP_PREPARE_ROOT"));
        assertEquals(List.of("OP_ROOT_PROPAGATION propagation=MS_SHARED"), ops(shared, "OP_ROOT_PROPAGATION"));
        assertEquals(shared.indexOf("OP_PIVOT_ROOT") + 1, shared.indexOf("OP_ROOT_PROPAGATION propagation=MS_SHARED"));
        List<String> slave = plan(put(minimal(), "linux.rootfsPropagation", "slave"));
        assertEquals(List.of("OP_PREPARE_ROOT propagation=MS_SLAVE"), ops(slave, "OP_PREPARE_ROOT"));
        assertTrue(ops(slave, "OP_ROOT_PROPAGATION").isEmpty());
        assertEquals(List.of("OP_ROOT_PROPAGATION propagation=MS_REC|MS_UNBINDABLE"),
                ops(plan(put(minimal(), "linux.rootfsPropagation", "runbindable")), "OP_ROOT_PROPAGATION"));
    }

    @Test
    void bindSourcesResolveAgainstTheBundleAndFilesGetFileTargets() throws IOException {
        Files.createDirectories(dir.resolve("dir"));
        Files.writeString(dir.resolve("file"), "");
        Map<String, Object> c = withMount("{\"destination\": \"/a\", \"source\": \"dir\", \"options\": [\"bind\"]}");
        add(c, "mounts", json("{\"destination\": \"/b\", \"source\": \"file\", \"options\": [\"rbind\", \"ro\"]}"));
        add(c, "mounts", json("{\"destination\": \"/c\", \"type\": \"bind\", \"source\": \"/nonexistent\"}"));
        assertEquals(List.of(
                "OP_MOUNT source=" + dir.resolve("dir") + " target=/a fstype=bind flags=MS_BIND kind=TARGET_DIR",
                "OP_MOUNT source=" + dir.resolve("file") + " target=/b fstype=bind flags=MS_RDONLY|MS_BIND|MS_REC "
                        + "kind=TARGET_FILE",
                "OP_MOUNT source=/nonexistent target=/c fstype=bind flags=MS_BIND kind=TARGET_DIR"),
                ops(plan(c), "OP_MOUNT"));
    }

    @Test
    void readOnlyTmpfsIsMadeReadOnlyAfterThePivot() {
        List<String> p = plan(withMount("{\"destination\": \"/dev\", \"type\": \"tmpfs\", \"options\": [\"ro\"]}"));
        assertEquals(List.of("OP_MOUNT source=tmpfs target=/dev fstype=tmpfs flags=0 kind=TARGET_DIR"), ops(p, "OP_MOUNT"));
        assertEquals(List.of("OP_READONLY_PATH target=/dev"), ops(p, "OP_READONLY_PATH"));
        assertTrue(p.indexOf("OP_READONLY_PATH target=/dev") > p.indexOf("OP_PIVOT_ROOT"));
    }

    @Test
    void readOnlyBindOfDevIsReadOnlyAtOnce() {
        List<String> p = plan(withMount("{\"destination\": \"/dev/\", \"source\": \"/dev\", \"options\": [\"rbind\", \"ro\"]}"));
        assertEquals(List.of("OP_MOUNT source=/dev target=/dev fstype=bind flags=MS_RDONLY|MS_BIND|MS_REC kind=TARGET_DIR"),
                ops(p, "OP_MOUNT"));
        assertTrue(ops(p, "OP_READONLY_PATH").isEmpty());
        assertTrue(ops(p, "OP_MKNOD").isEmpty(), "a bound /dev is used as it is");
        assertTrue(ops(p, "OP_SYMLINK").isEmpty());
    }

    @Test
    void configDevicesAreCreatedEvenInABoundDev() {
        Map<String, Object> c = withMount("{\"destination\": \"/dev\", \"source\": \"/dev\", \"options\": [\"rbind\"]}");
        put(c, "linux.devices", json("[{\"type\": \"c\", \"path\": \"/dev/fuse\", \"major\": 10, \"minor\": 229}]"));
        assertEquals(List.of("OP_MKNOD target=/dev/fuse mode=020666 major=10 minor=229 uid=0 gid=0"),
                ops(plan(c), "OP_MKNOD"));
    }

    @Test
    void devicesAreBoundInAUserNamespace() {
        Map<String, Object> c = add(minimal(), "linux.namespaces", json("{\"type\": \"user\"}"));
        put(c, "linux.uidMappings", json("[{\"hostID\": 1000, \"size\": 1}]"));
        put(c, "linux.gidMappings", json("[{\"hostID\": 1000, \"size\": 1}]"));
        List<String> p = plan(c);
        assertTrue(ops(p, "OP_MKNOD").isEmpty());
        assertEquals("OP_BIND_DEVICE source=/dev/null target=/dev/null", ops(p, "OP_BIND_DEVICE").getFirst());
        assertEquals(6, ops(plan(minimal(), ctx(CgroupLayout.NONE, false, false)), "OP_BIND_DEVICE").size());
    }

    @Test
    void kcoreLinkOnlyWhenTheHostHasOne() {
        PlanContext kcore = new PlanContext(Path.of("/r"), dir, false, true, Protocol.LOG_INFO, CgroupLayout.NONE, true,
                true);
        assertEquals(List.of("OP_SYMLINK source=/proc/kcore target=/dev/core"),
                ops(plan(minimal(), kcore), "OP_SYMLINK source=/proc/kcore"));
        assertTrue(ops(plan(minimal()), "OP_SYMLINK source=/proc/kcore").isEmpty());
    }

    @Test
    void sysfsAndMqueueAreBoundWhenTheUserNamespaceCannotMountThem() {
        Map<String, Object> c = minimal();
        add(c, "mounts", json("{\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\", "
                + "\"options\": [\"nosuid\", \"ro\"]}"));
        add(c, "mounts", json("{\"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\"}"));
        PlanContext podman = ctx(CgroupLayout.NONE, false, false);
        assertEquals(List.of(
                "OP_MOUNT source=/sys target=/sys fstype=bind flags=MS_RDONLY|MS_NOSUID|MS_BIND|MS_REC kind=TARGET_DIR",
                "OP_MOUNT source=/dev/mqueue target=/dev/mqueue fstype=bind flags=MS_BIND|MS_REC kind=TARGET_DIR"),
                ops(plan(c, podman), "OP_MOUNT"));
        add(c, "linux.namespaces", json("{\"type\": \"network\"}"));
        add(c, "linux.namespaces", json("{\"type\": \"ipc\"}"));
        assertEquals(List.of(
                "OP_MOUNT source=sysfs target=/sys fstype=sysfs flags=MS_RDONLY|MS_NOSUID kind=TARGET_DIR",
                "OP_MOUNT source=mqueue target=/dev/mqueue fstype=mqueue flags=0 kind=TARGET_DIR"),
                ops(plan(c, podman), "OP_MOUNT"));
        assertEquals(2, ops(plan(c), "OP_MOUNT").size());
    }

    @Test
    void sysfsIsBoundWhenANewUserNamespaceJoinsANetworkNamespace() {
        Map<String, Object> c = minimal();
        add(c, "mounts", json("{\"destination\": \"/sys\", \"type\": \"sysfs\"}"));
        add(c, "linux.namespaces", json("{\"type\": \"network\", \"path\": \"/proc/self/ns/net\"}"));
        assertEquals(List.of("OP_MOUNT source=sysfs target=/sys fstype=sysfs flags=0 kind=TARGET_DIR"),
                ops(plan(c), "OP_MOUNT"));
        add(c, "linux.namespaces", json("{\"type\": \"user\", \"path\": \"/proc/self/ns/user\"}"));
        assertEquals(List.of("OP_MOUNT source=sysfs target=/sys fstype=sysfs flags=0 kind=TARGET_DIR"),
                ops(plan(c), "OP_MOUNT"));
        put(c, "linux.namespaces", json("[{\"type\": \"mount\"}, {\"type\": \"user\"}, "
                + "{\"type\": \"network\", \"path\": \"/proc/self/ns/net\"}]"));
        put(c, "linux.uidMappings", json("[{\"hostID\": 1000, \"size\": 1}]"));
        put(c, "linux.gidMappings", json("[{\"hostID\": 1000, \"size\": 1}]"));
        assertEquals(List.of("OP_MOUNT source=/sys target=/sys fstype=bind flags=MS_BIND|MS_REC kind=TARGET_DIR"),
                ops(plan(c), "OP_MOUNT"));
    }

    @Test
    void cgroupV2MountOrBindWithoutACgroupNamespaceInAUserNamespace() {
        Map<String, Object> c = withMount("{\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": "
                + "\"cgroup\", \"options\": [\"ro\", \"rslave\"]}");
        assertEquals(List.of("OP_MOUNT source=cgroup target=/sys/fs/cgroup fstype=cgroup2 flags=MS_RDONLY "
                        + "propagation=MS_REC|MS_SLAVE kind=TARGET_DIR"),
                ops(plan(c, ctx(PlanGoldenTest.V2, false, true)), "OP_MOUNT"));
        assertEquals(List.of("OP_MOUNT source=/sys/fs/cgroup target=/sys/fs/cgroup fstype=bind flags=MS_RDONLY|MS_BIND "
                        + "propagation=MS_REC|MS_SLAVE kind=TARGET_DIR"),
                ops(plan(c, ctx(PlanGoldenTest.V2, false, false)), "OP_MOUNT"));
        add(c, "linux.namespaces", json("{\"type\": \"cgroup\"}"));
        assertEquals("fstype=cgroup2", ops(plan(c, ctx(PlanGoldenTest.V2, false, false)), "OP_MOUNT").getFirst()
                .split(" ")[3]);
    }

    /** A rootless /sys is the host's, with the host's cgroup2 mount in it: a new cgroup2 mount there is EBUSY. */
    @Test
    void cgroupV2OnABoundSysBindsTheContainersOwnCgroup() {
        Map<String, Object> c = withMount("{\"destination\": \"/sys\", \"type\": \"none\", \"source\": \"/sys\", "
                + "\"options\": [\"rbind\", \"ro\"]}");
        add(c, "mounts", json("{\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\", "
                + "\"options\": [\"ro\"]}"));
        add(c, "linux.namespaces", json("{\"type\": \"cgroup\"}"));
        assertEquals("OP_MOUNT source=/sys/fs/cgroup/berth/c1 target=/sys/fs/cgroup fstype=bind flags=MS_RDONLY|MS_BIND "
                + "kind=TARGET_DIR", ops(plan(c, ctx(PlanGoldenTest.V2, false, false)), "OP_MOUNT").getLast());
        Map<String, Object> own = withMount("{\"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\"}");
        add(own, "mounts", json("{\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\"}"));
        add(own, "linux.namespaces", json("{\"type\": \"cgroup\"}"));
        assertEquals("fstype=cgroup2", ops(plan(own, ctx(PlanGoldenTest.V2, false, true)), "OP_MOUNT").getLast()
                .split(" ")[3], "a sysfs of its own (root) takes the cgroup2 mount");
    }

    @Test
    void cgroupV1WithoutHierarchiesIsAnEmptyTmpfs() {
        Map<String, Object> c = withMount("{\"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\"}");
        assertEquals(List.of("OP_MOUNT source=tmpfs target=/sys/fs/cgroup fstype=tmpfs flags=MS_NOSUID|MS_NODEV|MS_NOEXEC "
                + "data=mode=755 kind=TARGET_DIR"), ops(plan(c), "OP_MOUNT"));
    }

    @Test
    void afterThePivotInRuncsOrder() {
        Map<String, Object> c = put(minimal(), "root.readonly", true);
        add(c, "linux.namespaces", json("{\"type\": \"uts\"}"));
        add(c, "linux.namespaces", json("{\"type\": \"ipc\"}"));
        put(c, "hostname", "h");
        put(c, "domainname", "d");
        put(c, "linux.sysctl", json("{\"kernel.shmmax\": \"1\", \"kernel.msgmax\": \"2\"}"));
        put(c, "linux.maskedPaths", json("[\"/proc/kcore\"]"));
        put(c, "linux.readonlyPaths", json("[\"/proc/sys\"]"));
        List<String> p = plan(c);
        List<String> after = p.subList(p.indexOf("OP_PIVOT_ROOT") + 1, p.size());
        assertEquals(List.of(
                "OP_REMOUNT_ROOT_RO",
                "OP_HOSTNAME value=h",
                "OP_DOMAINNAME value=d",
                "OP_SYSCTL name=kernel.msgmax value=2",
                "OP_SYSCTL name=kernel.shmmax value=1",
                "OP_READONLY_PATH target=/proc/sys",
                "OP_MASK_PATH target=/proc/kcore"), after);
    }

    @Test
    void fifoAndLogLevelFollowTheContext() {
        PlanContext run = new PlanContext(Path.of("/r"), dir, false, false, Protocol.LOG_ERROR, CgroupLayout.NONE, true,
                false);
        List<String> p = plan(minimal(), run);
        assertTrue(p.contains("P_FIFO 0"));
        assertTrue(p.contains("P_LOG_LEVEL LOG_ERROR"));
        assertFalse(p.contains("P_FIFO 1"));
    }

    @Test
    void theMessageIsABootstrap() {
        Spec spec = SpecLoader.load(TestConfigs.bundle(dir, minimal()));
        byte[] b = PlanBuilder.build(spec, ctx(CgroupLayout.NONE, false, true));
        Message m = Message.parse(b, b.length);
        assertEquals(Protocol.MSG_BOOTSTRAP, m.kind());
        assertEquals(Protocol.HELPER_CREATE, m.u32(Protocol.P_MODE, 0));
        assertEquals("/r", m.str(Protocol.P_ROOTFS, null));
    }
}
