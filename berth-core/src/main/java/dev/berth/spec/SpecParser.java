package dev.berth.spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the parsed JSON of config.json into a {@link Spec}, checking the JSON type of every field
 * it models and the rules that concern one field alone. Rules that relate fields to each other
 * are {@link SpecValidator}'s.
 */
final class SpecParser {
    private final Report report;
    private final Path bundle;

    SpecParser(Report report, Path bundle) {
        this.report = report;
        this.bundle = bundle;
    }

    Spec parse(Map<String, Object> json) {
        Node top = Node.root(json, report);
        String version = ociVersion(top);
        Root root = root(top);
        Node p = top.obj("process");
        ProcessSpec process = p == null ? null : new ProcessParser().parse(p);
        String hostname = emptyToNull(top.str("hostname"));
        String domainname = emptyToNull(top.str("domainname"));
        List<Mount> mounts = new ArrayList<>();
        for (Node m : top.objs("mounts")) mounts.add(mount(m));
        Node h = top.obj("hooks");
        Hooks hooks = h == null ? Hooks.NONE : hooks(h);
        Map<String, String> annotations = top.stringMap("annotations");
        Node l = top.obj("linux");
        LinuxSpec linux = l == null ? LinuxSpec.EMPTY : new LinuxParser().parse(l);
        for (String other : List.of("solaris", "windows", "vm", "zos")) top.has(other);
        top.finish();
        return new Spec(version, root, process, hostname, domainname, mounts, hooks, annotations, linux, bundle,
                report.warnings());
    }

    private String ociVersion(Node top) {
        String v = top.reqStr("ociVersion");
        if (!SemVer.isValid(v)) throw top.error("ociVersion", "\"" + v + "\" is not a SemVer version");
        if (!v.startsWith("1.")) {
            throw top.error("ociVersion", v + " is not supported (berth implements runtime-spec "
                    + Features.OCI_VERSION_MIN + " to " + Features.OCI_VERSION_MAX + ")");
        }
        // SemVer has no leading zeros: a minor version of two digits is above 9.
        String minor = v.substring(2, v.indexOf('.', 2));
        if (minor.length() > 1 || minor.charAt(0) > '2') {
            report.warn("ociVersion: " + v + " is newer than " + Features.OCI_VERSION_MAX
                    + "; properties berth does not know are ignored");
        }
        return v;
    }

    private Root root(Node top) {
        Node r = top.obj("root");
        if (r == null) throw top.error("root", "is required");
        String path = r.reqStr("path");
        if (path.isEmpty()) throw r.error("path", "must not be empty");
        boolean readonly = r.bool("readonly");
        r.finish();
        Path abs = bundle.resolve(path).normalize();
        if (!Files.exists(abs)) throw r.error("path", abs + " does not exist");
        if (!Files.isDirectory(abs)) throw r.error("path", abs + " is not a directory");
        try {
            return new Root(abs.toRealPath(), readonly);
        } catch (IOException e) {
            throw r.error("path", abs + ": " + e.getMessage());
        }
    }

    private Mount mount(Node m) {
        String destination = m.reqStr("destination");
        // runtime-spec 1.1+: a relative destination is relative to "/" (runc does the same for 1.0).
        if (!destination.startsWith("/")) destination = "/" + destination;
        String type = emptyToNull(m.str("type"));
        String source = m.str("source");
        List<String> options = m.strings("options");
        List<IdMapping> uids = LinuxParser.idMappings(m, "uidMappings");
        List<IdMapping> gids = LinuxParser.idMappings(m, "gidMappings");
        m.finish();
        // runtime-spec config.md: each "MUST be specified along with" the other.
        if (!uids.isEmpty() && gids.isEmpty()) throw m.error("gidMappings", "is required with uidMappings");
        if (uids.isEmpty() && !gids.isEmpty()) throw m.error("uidMappings", "is required with gidMappings");

        MountOptions parsed = MountOptions.parse(options);
        if (parsed.unsupported() != null) {
            throw m.error("options", "\"" + parsed.unsupported() + "\" is not supported by this berth version");
        }
        boolean bind = parsed.isBind() || "bind".equals(type);
        // runc refuses these too: the kernel ignores file-system options on a bind mount.
        if (bind && !parsed.data().isEmpty()) {
            throw m.error("options", "a bind mount cannot take file-system options (\"" + parsed.data() + "\")");
        }
        if (!bind && type == null) throw m.error("type", "is required unless the mount is a bind mount");
        if (bind && (source == null || source.isEmpty())) throw m.error("source", "is required for a bind mount");
        String clean = Path.of(destination).normalize().toString();
        if (clean.equals("/")) throw m.error("destination", "\"/\" cannot be a mount point; root.path is the root");
        String why = ProcMounts.refusal(clean, type, bind ? bundle.resolve(source) : null);
        if (why != null) throw m.error("destination", destination + ": " + why);
        return new Mount(destination, type, source, options, uids, gids);
    }

    private Hooks hooks(Node h) {
        List<List<Hook>> lists = new ArrayList<>();
        for (String name : Hooks.NAMES) {
            List<Hook> list = new ArrayList<>();
            for (Node n : h.objs(name)) list.add(hook(n));
            lists.add(list);
        }
        h.finish();
        return new Hooks(lists.get(0), lists.get(1), lists.get(2), lists.get(3), lists.get(4), lists.get(5));
    }

    private static Hook hook(Node n) {
        String path = n.reqStr("path");
        if (!path.startsWith("/")) throw n.error("path", "\"" + path + "\" must be an absolute path");
        List<String> args = n.strings("args");
        List<String> env = n.strings("env");
        Integer timeout = n.i32("timeout");
        if (timeout != null && timeout <= 0) throw n.error("timeout", "must be greater than 0");
        n.finish();
        return new Hook(path, args, env, timeout);
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
