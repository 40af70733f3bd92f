package dev.berth.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The runtime binary the suite runs: {@code -Dberth.it.runtime=/path} (default: the repository's
 * bin/berth), and what it says about itself (--version, features, the default spec). Each fact is
 * asked once per test JVM.
 */
public final class RuntimeUnderTest {
    private static Path binary;
    private static String version;
    private static Map<String, Object> features;
    private static Map<String, Object> defaultSpec;

    private RuntimeUnderTest() {
    }

    /** The binary under test, checked to be executable. */
    public static synchronized Path binary() {
        if (binary == null) {
            String p = System.getProperty("berth.it.runtime");
            Path path = p == null || p.isBlank() ? defaultBinary() : Path.of(p);
            path = path.toAbsolutePath().normalize();
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("runtime under test " + path + " is not an executable file; "
                        + "build berth (make) or pass -Dberth.it.runtime=/usr/sbin/runc");
            }
            binary = path;
        }
        return binary;
    }

    private static Path defaultBinary() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("bin/berth")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d.resolve("bin/berth");
            }
        }
        return dir.resolve("../bin/berth");
    }

    /** The first line of {@code --version}; fails the calling test if the runtime cannot say it. */
    public static synchronized String version() {
        if (version == null) {
            Result r = Exec.of(binary().toString(), "--version").timeout(Exec.DEFAULT_TIMEOUT).run();
            if (r.exit() != 0 || r.stdout().isBlank()) {
                throw new IllegalStateException("runtime under test is not runnable: " + r.describe());
            }
            version = r.stdout();
        }
        return version;
    }

    /**
     * Whether the binary is berth. Some assertions follow the runtime-spec where runc 1.1 does
     * something else; they apply only to berth (each such place says why).
     */
    public static boolean isBerth() {
        return version().toLowerCase(java.util.Locale.ROOT).contains("berth");
    }

    /**
     * The parsed output of {@code features}, or an empty map when the runtime has no such command
     * (crun 1.8): then every feature-gated test is skipped. CommandsIT checks the command itself.
     */
    public static synchronized Map<String, Object> features() {
        if (features == null) {
            Result r = Exec.of(binary().toString(), "features").run();
            try {
                features = r.exit() == 0 ? Json.parseObject(r.stdout()) : Map.of();
            } catch (IllegalArgumentException notJson) {
                features = Map.of();
            }
        }
        return features;
    }

    /**
     * Whether {@code features} says the runtime implements runtime-spec {@code major.minor} or later
     * (ociVersionMax). Used for fields that newer spec versions added.
     */
    public static boolean implementsSpec(int major, int minor) {
        Object max = features().get("ociVersionMax");
        if (!(max instanceof String v)) return false;
        String[] parts = v.split("[.-]");
        try {
            int ma = Integer.parseInt(parts[0]);
            int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return ma > major || (ma == major && mi >= minor);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether {@code features} lists a namespace type under linux.namespaces. */
    @SuppressWarnings("unchecked")
    public static boolean supportsNamespace(String type) {
        Object linux = features().get("linux");
        if (!(linux instanceof Map)) return false;
        Object ns = ((Map<String, Object>) linux).get("namespaces");
        return ns instanceof List && ((List<Object>) ns).contains(type);
    }

    /** Whether {@code features} lists a mount option. */
    @SuppressWarnings("unchecked")
    public static boolean supportsMountOption(String option) {
        Object opts = features().get("mountOptions");
        return opts instanceof List && ((List<Object>) opts).contains(option);
    }

    /** Whether {@code features} says idmapped mounts are enabled (linux.mountExtensions.idmap.enabled). */
    public static boolean supportsIdmappedMounts() {
        Object linux = features().get("linux");
        return linux instanceof Map<?, ?> l && l.get("mountExtensions") instanceof Map<?, ?> ext
                && ext.get("idmap") instanceof Map<?, ?> idmap && Boolean.TRUE.equals(idmap.get("enabled"));
    }

    /** A copy of the config.json the runtime's own {@code spec} command writes. */
    public static synchronized Map<String, Object> defaultSpec() {
        if (defaultSpec == null) {
            try {
                Path d = Files.createTempDirectory(Workspace.base(), "spec-");
                Result r = Exec.of(binary().toString(), "spec", "--bundle", d.toString()).scratch(d).run();
                if (r.exit() != 0) throw new IllegalStateException("spec failed: " + r.describe());
                defaultSpec = Json.parseObject(Files.readString(d.resolve("config.json")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Json.copy(defaultSpec);
    }
}
