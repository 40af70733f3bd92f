package dev.berth.net;

import dev.berth.sys.Subprocess;
import dev.berth.api.BerthException;
import dev.berth.json.Json;
import dev.berth.json.JsonException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a network's plugins as the CNI spec's runtime does: ADD in order, each given the previous
 * plugin's result as prevResult; CHECK and DEL with the cached result of ADD, DEL in reverse
 * order. The loopback plugin brings up lo first and is removed last.
 */
final class CniRunner {
    static final String IFNAME = "eth0";
    private static final int TIMEOUT = 60;
    private static final String LOOPBACK_CONF = "{\"cniVersion\":\"1.0.0\",\"name\":\"berth-lo\",\"type\":\"loopback\"}";

    private final CniNetwork network;
    private final String containerId;
    private final String netnsPath;
    private final List<PortMapping> ports;

    CniRunner(CniNetwork network, String netnsName, String netnsPath, List<PortMapping> ports) {
        this.network = network;
        this.containerId = "berth-netns-" + netnsName;
        this.netnsPath = netnsPath;
        this.ports = ports;
    }

    /**
     * ADD; returns the final result JSON. When a plugin fails, DEL runs for everything already
     * added, so nothing is left behind, and the plugin's error is thrown.
     */
    String add() {
        List<String> paths = network.pluginPaths();
        String loopback = CniNetwork.pluginPath("loopback");
        call("ADD", loopback, "lo", LOOPBACK_CONF, "loopback");
        Object prev = null;
        String result = null;
        for (int i = 0; i < paths.size(); i++) {
            try {
                result = call("ADD", paths.get(i), IFNAME, config(network.plugins().get(i), prev), type(i));
                prev = Json.parse(result, type(i) + " result");
            } catch (RuntimeException e) {
                // The failed plugin too: it may have made part of its work before failing.
                delete(i, prev == null ? null : Json.write(prev, false));
                bestEffort("DEL", loopback, "lo", LOOPBACK_CONF, "loopback", new ArrayList<>());
                throw e;
            }
        }
        return result;
    }

    /** CHECK every plugin against the cached result; the first failure is thrown. */
    void check(String cachedResult) {
        Object prev = cachedResult == null ? null : Json.parse(cachedResult, "cached CNI result");
        List<String> paths = network.pluginPaths();
        for (int i = 0; i < paths.size(); i++) call("CHECK", paths.get(i), IFNAME, config(network.plugins().get(i), prev), type(i));
    }

    /** DEL in reverse order; every plugin runs even when one fails. Returns the failures. */
    List<String> delete(String cachedResult) {
        List<String> problems = new ArrayList<>(delete(network.plugins().size() - 1, cachedResult));
        try {
            bestEffort("DEL", CniNetwork.pluginPath("loopback"), "lo", LOOPBACK_CONF, "loopback", problems);
        } catch (BerthException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    private List<String> delete(int last, String cachedResult) {
        List<String> problems = new ArrayList<>();
        Object prev = null;
        try {
            prev = cachedResult == null ? null : Json.parse(cachedResult, "cached CNI result");
        } catch (JsonException e) {
            problems.add("cached CNI result: " + e.getMessage());
        }
        for (int i = last; i >= 0; i--) {
            String path;
            try {
                path = CniNetwork.pluginPath(type(i));
            } catch (BerthException e) {
                problems.add(e.getMessage());
                continue;
            }
            bestEffort("DEL", path, IFNAME, config(network.plugins().get(i), prev), type(i), problems);
        }
        return problems;
    }

    private void bestEffort(String command, String path, String ifname, String conf, String type, List<String> problems) {
        try {
            call(command, path, ifname, conf, type);
        } catch (BerthException e) {
            problems.add(e.getMessage());
        }
    }

    private String type(int i) {
        return (String) network.plugins().get(i).get("type");
    }

    /** The plugin's own configuration, with the list's name and version, prevResult and runtimeConfig. */
    private String config(Map<String, Object> plugin, Object prevResult) {
        Map<String, Object> c = new LinkedHashMap<>(plugin);
        c.put("cniVersion", network.cniVersion());
        c.put("name", network.name());
        if (prevResult != null) c.put("prevResult", prevResult);
        if (CniNetwork.wantsPortMappings(plugin) && !ports.isEmpty()) {
            List<Object> list = new ArrayList<>();
            for (PortMapping p : ports) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("hostPort", (long) p.hostPort());
                m.put("containerPort", (long) p.containerPort());
                m.put("protocol", p.protocol());
                m.put("hostIP", p.hostIp());
                list.add(m);
            }
            c.put("runtimeConfig", Map.of("portMappings", list));
        }
        return Json.write(c, false);
    }

    private String call(String command, String path, String ifname, String conf, String type) {
        List<String> env = List.of("CNI_COMMAND=" + command, "CNI_CONTAINERID=" + containerId,
                "CNI_NETNS=" + netnsPath, "CNI_IFNAME=" + ifname,
                "CNI_PATH=" + String.join(":", CniNetwork.PLUGIN_DIRS),
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        String what = "CNI " + command + " " + type + " (network " + network.name() + ")";
        Subprocess.Outcome o = Program.run(what, path, List.of(type), env, conf, TIMEOUT);
        if (o.status() != 0) throw new BerthException(BerthException.Kind.SYSTEM, what + ": " + errorText(o));
        return o.stdout().strip();
    }

    /** The spec's error object {code, msg, details}, in words; else whatever the plugin printed. */
    static String errorText(Subprocess.Outcome o) {
        try {
            if (Json.parse(o.stdout().strip(), "CNI error") instanceof Map<?, ?> m && m.get("msg") != null) {
                Object details = m.get("details");
                return m.get("msg") + (details != null && !details.toString().isEmpty() ? ": " + details : "")
                        + " (CNI error code " + m.get("code") + ")";
            }
        } catch (JsonException e) {
            // not JSON: fall through to the raw text
        }
        String said = o.says();
        return "exit status " + o.status() + (said.isEmpty() ? "" : ": " + said);
    }

    /** The container's first address in a result, e.g. "10.87.0.2/16", or null. */
    static String firstAddress(String result) {
        try {
            if (Json.parse(result, "CNI result") instanceof Map<?, ?> m && m.get("ips") instanceof List<?> ips
                    && !ips.isEmpty() && ips.get(0) instanceof Map<?, ?> ip) {
                return (String) ip.get("address");
            }
        } catch (JsonException | ClassCastException e) {
            return null;
        }
        return null;
    }
}
