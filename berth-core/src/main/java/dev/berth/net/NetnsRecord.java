package dev.berth.net;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What berth remembers about a network namespace it added: where the namespace is, the process
 * that holds it (rootless), how it is connected, and what {@code delete} must undo.
 *
 * @param name the namespace's name
 * @param path the namespace itself: /run/netns/NAME, or /proc/PID/ns/net of the holder
 * @param userns the user namespace that owns it (rootless: /proc/PID/ns/user), or null
 * @param holderPid the holder process (rootless), 0 for root's bind-mounted namespaces
 * @param holderStart its start time (/proc/PID/stat), so that a reused PID is never taken for it
 * @param connector "cni", "slirp4netns", "pasta", or null for none
 * @param network the CNI network's name, or null
 * @param connectorPid slirp4netns's or pasta's PID, 0 when none runs
 * @param connectorStart its start time
 * @param ports the port forwards asked for
 * @param dns the name servers of its resolv.conf, empty when berth wrote none
 */
public record NetnsRecord(String name, String path, String userns, int holderPid, long holderStart,
        String connector, String network, int connectorPid, long connectorStart, List<PortMapping> ports,
        List<String> dns) {

    public boolean rootless() {
        return holderPid > 0;
    }

    NetnsRecord withHolder(int pid, long start) {
        return new NetnsRecord(name, "/proc/" + pid + "/ns/net", "/proc/" + pid + "/ns/user", pid, start, connector,
                network, connectorPid, connectorStart, ports, dns);
    }

    NetnsRecord withConnectorProcess(int pid, long start) {
        return new NetnsRecord(name, path, userns, holderPid, holderStart, connector, network, pid, start, ports, dns);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("path", path);
        if (userns != null) m.put("userns", userns);
        m.put("holderPid", (long) holderPid);
        m.put("holderStart", holderStart);
        if (connector != null) m.put("connector", connector);
        if (network != null) m.put("network", network);
        m.put("connectorPid", (long) connectorPid);
        m.put("connectorStart", connectorStart);
        List<Object> p = new ArrayList<>();
        for (PortMapping pm : ports) p.add(pm.toString());
        m.put("ports", p);
        m.put("dns", new ArrayList<Object>(dns));
        return m;
    }

    @SuppressWarnings("unchecked")
    static NetnsRecord fromJson(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        List<PortMapping> ports = new ArrayList<>();
        for (Object p : (List<Object>) m.getOrDefault("ports", List.of())) ports.add(PortMapping.parse((String) p));
        List<String> dns = new ArrayList<>();
        for (Object d : (List<Object>) m.getOrDefault("dns", List.of())) dns.add((String) d);
        return new NetnsRecord((String) m.get("name"), (String) m.get("path"), (String) m.get("userns"),
                num(m, "holderPid").intValue(), num(m, "holderStart"), (String) m.get("connector"),
                (String) m.get("network"), num(m, "connectorPid").intValue(), num(m, "connectorStart"), ports, dns);
    }

    private static Long num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Long l ? l : 0L;
    }
}
