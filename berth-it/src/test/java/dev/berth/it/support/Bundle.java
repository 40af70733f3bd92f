package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI bundle for one container: a busybox rootfs and the runtime's own default config.json
 * (from its {@code spec} command) with these changes: process.terminal false, root.readonly
 * false (tests that check a read-only root set it), linux.cgroupsPath "/ID" (so leftovers can be
 * found), and BERTH_IT_ID=ID in the environment. Tests edit the config further; it is written
 * before each runtime command that takes the bundle.
 */
public final class Bundle {
    private final String id;
    private final Path dir;
    private final Map<String, Object> config;

    Bundle(String id, Path dir) {
        this.id = id;
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            Workspace.makeRootfs(dir.resolve("rootfs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the bundle " + dir, e);
        }
        config = RuntimeUnderTest.defaultSpec();
        process().put("terminal", false);
        obj("root").put("readonly", false);
        obj("root").put("path", "rootfs");
        linux().put("cgroupsPath", cgroupsPath());
        env("BERTH_IT_ID=" + id);
    }

    /** The container id this bundle is meant for. */
    public String id() {
        return id;
    }

    public Path dir() {
        return dir;
    }

    /** The root file system directory (bundle/rootfs unless root.path was changed). */
    public Path rootfs() {
        return dir.resolve(String.valueOf(obj("root").get("path")));
    }

    /** A path inside the root file system, e.g. {@code file("etc/passwd")}. */
    public Path file(String inRootfs) {
        String rel = inRootfs.startsWith("/") ? inRootfs.substring(1) : inRootfs;
        return rootfs().resolve(rel);
    }

    /** The cgroup this container is put in, relative to each hierarchy's root. */
    public String cgroupsPath() {
        return "/" + id;
    }

    /** The whole config, to edit freely. */
    public Map<String, Object> config() {
        return config;
    }

    public Map<String, Object> process() {
        return obj("process");
    }

    public Map<String, Object> linux() {
        return obj("linux");
    }

    /** The object at {@code path} from the top of config.json, created (empty) where missing. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> obj(String... path) {
        Map<String, Object> m = config;
        for (String k : path) {
            Object v = m.get(k);
            if (!(v instanceof Map)) {
                v = new LinkedHashMap<String, Object>();
                m.put(k, v);
            }
            m = (Map<String, Object>) v;
        }
        return m;
    }

    /** The array under {@code key} of {@code m}, created where missing. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof List)) {
            v = new ArrayList<Object>();
            m.put(key, v);
        }
        return (List<Object>) v;
    }

    /** Sets process.args. */
    public Bundle args(String... args) {
        process().put("args", new ArrayList<Object>(Arrays.asList(args)));
        return this;
    }

    /** Runs {@code script} with busybox sh -c. */
    public Bundle sh(String script) {
        return args("sh", "-c", script);
    }

    /** Adds KEY=value entries to process.env. */
    public Bundle env(String... entries) {
        List<Object> env = list(process(), "env");
        env.addAll(Arrays.asList(entries));
        return this;
    }

    /** Appends a mount. */
    public Bundle mount(String destination, String type, String source, String... options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        if (options.length > 0) m.put("options", new ArrayList<Object>(Arrays.asList(options)));
        list(config, "mounts").add(m);
        return this;
    }

    /** Removes every mount at {@code destination}. */
    @SuppressWarnings("unchecked")
    public Bundle withoutMount(String destination) {
        list(config, "mounts").removeIf(o -> destination.equals(((Map<String, Object>) o).get("destination")));
        return this;
    }

    /** Adds a namespace of {@code type} (replacing one of the same type), joined by {@code path} if not null. */
    public Bundle namespace(String type, String path) {
        withoutNamespace(type);
        Map<String, Object> ns = new LinkedHashMap<>();
        ns.put("type", type);
        if (path != null) ns.put("path", path);
        list(linux(), "namespaces").add(ns);
        return this;
    }

    public Bundle namespace(String type) {
        return namespace(type, null);
    }

    @SuppressWarnings("unchecked")
    public Bundle withoutNamespace(String type) {
        list(linux(), "namespaces").removeIf(o -> type.equals(((Map<String, Object>) o).get("type")));
        return this;
    }

    /** Adds a hook of {@code kind} (prestart, createRuntime, ...). */
    public Bundle hook(String kind, String path, List<String> args, List<String> env, Integer timeout) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("path", path);
        if (args != null) h.put("args", new ArrayList<Object>(args));
        if (env != null) h.put("env", new ArrayList<Object>(env));
        if (timeout != null) h.put("timeout", (long) timeout);
        list(obj("hooks"), kind).add(h);
        return this;
    }

    /** Writes a file into the root file system (parents created). */
    public Path writeFile(String inRootfs, String content) {
        try {
            Path f = file(inRootfs);
            Files.createDirectories(f.getParent());
            Files.writeString(f, content);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a directory in the root file system. */
    public Path mkdir(String inRootfs) {
        try {
            return Files.createDirectories(file(inRootfs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes config.json. */
    public Bundle write() {
        try {
            Files.writeString(dir.resolve("config.json"), Json.write(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
