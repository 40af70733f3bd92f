package dev.berth.net;

import dev.berth.api.BerthException;
import dev.berth.json.Json;
import dev.berth.json.JsonException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CNI network configuration list (CNI spec, "Network configuration lists"): a name, a CNI
 * version and the plugins that ADD runs in order and DEL in reverse. berth keeps them as
 * NAME.conflist in its own directory (/etc/berth/cni), apart from any other runtime's.
 */
record CniNetwork(String name, String cniVersion, List<Map<String, Object>> plugins, Path file) {
    static final Path DEFAULT_DIR = Path.of("/etc/berth/cni");
    static final String DEFAULT_NAME = "berth0";
    /** Where the plugins live: Debian's containernetworking-plugins, then the upstream location. */
    static final List<String> PLUGIN_DIRS = List.of("/usr/lib/cni", "/opt/cni/bin");

    /**
     * The network called {@code name} in {@code dir}; the default network is written there the
     * first time it is asked for. An unknown name is an error that says which files exist.
     */
    static CniNetwork load(Path dir, String name) {
        NetnsName.check(name);
        Path file = dir.resolve(name + ".conflist");
        if (name.equals(DEFAULT_NAME) && !Files.exists(file)) writeDefault(file);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw BerthException.invalid("--cni " + name + ": unknown CNI network: there is no " + file
                    + " (" + DEFAULT_NAME + " is created on first use)");
        } catch (IOException e) {
            throw NetnsStore.io("read " + file, e);
        }
        return parse(text, file, name);
    }

    @SuppressWarnings("unchecked")
    static CniNetwork parse(String text, Path file, String name) {
        Object doc;
        try {
            doc = Json.parse(text, file.toString());
        } catch (JsonException e) {
            throw BerthException.invalid(e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> m)) throw BerthException.invalid(file + ": not a JSON object");
        Object n = m.get("name");
        if (!name.equals(n)) throw BerthException.invalid(file + ": \"name\" is " + n + ", not " + name);
        Object v = m.get("cniVersion");
        if (!(v instanceof String version)) throw BerthException.invalid(file + ": \"cniVersion\" is missing");
        if (!(m.get("plugins") instanceof List<?> list) || list.isEmpty()) {
            throw BerthException.invalid(file + ": \"plugins\" must be a non-empty list");
        }
        List<Map<String, Object>> plugins = new ArrayList<>();
        for (Object p : list) {
            if (!(p instanceof Map<?, ?> pm) || !(pm.get("type") instanceof String)) {
                throw BerthException.invalid(file + ": every plugin needs a \"type\"");
            }
            plugins.add((Map<String, Object>) pm);
        }
        return new CniNetwork(name, version, plugins, file);
    }

    /** The path of every plugin binary, checked before anything is created. */
    List<String> pluginPaths() {
        List<String> paths = new ArrayList<>();
        for (Map<String, Object> p : plugins) paths.add(pluginPath((String) p.get("type")));
        return paths;
    }

    static String pluginPath(String type) {
        for (String d : PLUGIN_DIRS) {
            Path p = Path.of(d, type);
            if (Files.isExecutable(p)) return p.toString();
        }
        throw BerthException.invalid("CNI plugin \"" + type + "\" is not installed in " + String.join(" or ", PLUGIN_DIRS)
                + " (Debian package containernetworking-plugins)");
    }

    /** Whether a plugin asks for the port mappings (CNI conventions, "portMappings" capability). */
    static boolean wantsPortMappings(Map<String, Object> plugin) {
        return plugin.get("capabilities") instanceof Map<?, ?> c && Boolean.TRUE.equals(c.get("portMappings"));
    }

    /**
     * The default network: a bridge berth0 with host-local addresses, the host as gateway and
     * masquerading out; portmap for -p; firewall to let the bridge's traffic through a host whose
     * FORWARD policy drops it.
     */
    static Map<String, Object> defaultConfig() {
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        ipam.put("ranges", List.of(List.of(Map.of("subnet", "10.87.0.0/16", "gateway", "10.87.0.1"))));
        ipam.put("routes", List.of(Map.of("dst", "0.0.0.0/0")));
        Map<String, Object> bridge = new LinkedHashMap<>();
        bridge.put("type", "bridge");
        bridge.put("bridge", DEFAULT_NAME);
        bridge.put("isGateway", true);
        bridge.put("ipMasq", true);
        bridge.put("hairpinMode", true);
        bridge.put("ipam", ipam);
        Map<String, Object> portmap = new LinkedHashMap<>();
        portmap.put("type", "portmap");
        portmap.put("capabilities", Map.of("portMappings", true));
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put("cniVersion", "1.0.0");
        conf.put("name", DEFAULT_NAME);
        conf.put("plugins", List.of(bridge, portmap, Map.of("type", "firewall")));
        return conf;
    }

    private static void writeDefault(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.write(defaultConfig(), true) + "\n");
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw NetnsStore.io("write the default CNI network " + file, e);
        }
    }
}
