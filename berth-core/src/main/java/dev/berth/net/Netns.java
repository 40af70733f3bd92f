package dev.berth.net;

import dev.berth.api.BerthException;
import dev.berth.api.Log;
import dev.berth.engine.Rootness;
import dev.berth.sys.ProcessInfo;
import dev.berth.sys.Sys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Persistent named network namespaces: {@code berth netns add|list|delete|exec}. Root's live in
 * /run/netns as {@code ip netns} keeps them; an unprivileged user's are held by a berth-init
 * holder process. Either can be connected at add time (CNI, slirp4netns, pasta), and what add
 * made, delete undoes: when add fails, nothing of it is left.
 */
public final class Netns {
    static final String CNI_RESULT = "cni-result.json";

    /** What {@code add} connects; at most one connector. */
    public record AddOptions(String cniNetwork, Path cniDir, boolean slirp4netns, boolean pasta,
            List<PortMapping> ports, List<String> dns) {}

    /** One line of {@code list}: berth's record, or null for a namespace berth did not add. */
    public record Listed(String name, NetnsRecord record, String address, boolean alive) {}

    private final NetnsStore store;
    private final Log log;
    private final boolean root;

    public Netns(Path stateDir, Log log) {
        this.store = new NetnsStore(stateDir);
        this.log = log;
        this.root = Rootness.isRealRoot();
    }

    /** /run/berth-netns for root, $XDG_RUNTIME_DIR/berth-netns for others. */
    public static Path defaultDir() {
        if (Rootness.isRealRoot()) return Path.of("/run/berth-netns");
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isEmpty()) return Path.of(xdg, "berth-netns");
        return Path.of("/run/user/" + Sys.getuid() + "/berth-netns");
    }

    public NetnsRecord add(String name, AddOptions o) {
        try {
            return doAdd(NetnsName.check(name), o);
        } catch (BerthException e) {
            throw e.within("netns add " + name);
        }
    }

    private NetnsRecord doAdd(String name, AddOptions o) {
        int connectors = (o.cniNetwork() != null ? 1 : 0) + (o.slirp4netns() ? 1 : 0) + (o.pasta() ? 1 : 0);
        if (connectors > 1) throw BerthException.invalid("--cni, --slirp4netns and --pasta exclude each other");
        if (connectors == 0 && !o.ports().isEmpty()) {
            throw BerthException.invalid("-p needs a connector: --cni NETWORK, --slirp4netns or --pasta");
        }
        for (String d : o.dns()) Dns.check(d);
        CniNetwork network = null;
        if (o.cniNetwork() != null) {
            if (!root) {
                throw BerthException.invalid("--cni " + o.cniNetwork() + ": CNI plugins need root; an unprivileged "
                        + "user connects with --slirp4netns or --pasta");
            }
            network = CniNetwork.load(o.cniDir() != null ? o.cniDir() : CniNetwork.DEFAULT_DIR, o.cniNetwork());
            network.pluginPaths();
            CniNetwork.pluginPath("loopback");
        }
        if (o.slirp4netns()) Program.require("slirp4netns", "slirp4netns");
        if (o.pasta()) Program.require("pasta", "passt");
        if (!root && (o.slirp4netns() || o.pasta())) checkTun(o.slirp4netns() ? "--slirp4netns" : "--pasta");
        PortCheck.free(o.ports());
        if (root && RootNetns.exists(name)) throw NetnsStore.exists(name);

        String connector = network != null ? "cni" : o.slirp4netns() ? "slirp4netns" : o.pasta() ? "pasta" : null;
        Path dir = store.create(name);
        NetnsRecord r = new NetnsRecord(name, RootNetns.path(name).toString(), null, 0, 0, connector,
                network != null ? network.name() : null, 0, 0, List.copyOf(o.ports()), List.copyOf(o.dns()));
        boolean madeRootNs = false;
        try {
            if (root) {
                RootNetns.create(name);
                madeRootNs = true;
            } else {
                int pid = Holder.start(log);
                r = r.withHolder(pid, ProcessInfo.startTime(pid));
            }
            store.write(r);
            if (network != null) {
                // DEL must see the configuration ADD saw, even if the file changes in between.
                store.writeFile(name, CNI_CONFIG, readConfig(network.file()));
                store.writeFile(name, CNI_RESULT, new CniRunner(network, name, r.path(), r.ports()).add() + "\n");
            } else if (o.slirp4netns() || o.pasta()) {
                int pid = o.slirp4netns() ? Slirp.start(r, dir, r.ports()) : Pasta.start(r, dir, r.ports());
                r = r.withConnectorProcess(pid, ProcessInfo.startTime(pid));
                store.write(r);
            }
            if (!o.dns().isEmpty()) store.writeFile(name, NetnsStore.RESOLV_CONF, Dns.resolvConf(o.dns()));
            return r;
        } catch (RuntimeException e) {
            undoAdd(r, madeRootNs);
            throw e;
        }
    }

    /**
     * Both connectors open /dev/net/tun as the calling user; a host where it is not 0666 (Debian's
     * udev makes it so) refuses them, which is said here rather than by a daemon's log.
     */
    private static void checkTun(String flag) {
        Path tun = Path.of("/dev/net/tun");
        if (!Files.isReadable(tun) || !Files.isWritable(tun)) {
            throw BerthException.invalid(flag + ": " + tun + " is not readable and writable for uid " + Sys.getuid()
                    + " (it must be mode 0666, as Debian's udev makes it: chmod 0666 " + tun + ")");
        }
    }

    private void undoAdd(NetnsRecord r, boolean madeRootNs) {
        try {
            stopProcesses(r);
            if (madeRootNs) RootNetns.delete(r.name());
        } catch (RuntimeException e) {
            log.warn("clean up after a failed netns add " + r.name() + ": " + e.getMessage());
        } finally {
            store.remove(r.name());
        }
    }

    /** Every namespace: berth's records and, for root, whatever else is in /run/netns. */
    public List<Listed> list() {
        List<String> names = store.names();
        if (root) {
            for (String n : RootNetns.names()) if (!names.contains(n)) names.add(n);
            names.sort(null);
        }
        List<Listed> out = new ArrayList<>();
        for (String n : names) {
            NetnsRecord r = store.read(n);
            boolean alive = r != null && r.rootless() ? ProcessInfo.isAlive(r.holderPid(), r.holderStart())
                    : RootNetns.exists(n);
            String address = r != null && "cni".equals(r.connector()) ? CniRunner.firstAddress(readResult(n)) : null;
            if (r != null && "slirp4netns".equals(r.connector())) address = "10.0.2.100/24";
            out.add(new Listed(n, r, address, alive));
        }
        return out;
    }

    /**
     * Disconnects (CNI DEL with the result ADD returned, or the connector process stopped) and
     * removes the namespace. Every step runs even when one fails; the failures are reported
     * together at the end.
     */
    public void delete(String name) {
        NetnsName.check(name);
        NetnsRecord r = store.read(name);
        if (r == null) {
            if (root && RootNetns.exists(name)) {
                RootNetns.delete(name);
                return;
            }
            throw NetnsStore.notFound(name).within("netns delete " + name);
        }
        List<String> problems = new ArrayList<>();
        if ("cni".equals(r.connector())) {
            try {
                Path saved = store.dir(name).resolve(CNI_CONFIG);
                CniNetwork network = CniNetwork.parse(readConfig(saved), saved, r.network());
                problems.addAll(new CniRunner(network, name, r.path(), r.ports()).delete(readResult(name)));
            } catch (BerthException e) {
                problems.add(e.getMessage());
            }
        }
        try {
            stopProcesses(r);
            if (!r.rootless()) RootNetns.delete(name);
        } catch (BerthException e) {
            problems.add(e.getMessage());
        }
        store.remove(name);
        if (!problems.isEmpty()) {
            throw new BerthException(BerthException.Kind.SYSTEM, "netns delete " + name + ": " + String.join("; ", problems));
        }
    }

    /**
     * Whether the namespace is as add left it: the holder alive, the connector process alive, or
     * for CNI the plugins' CHECK against the result ADD returned. Throws what is wrong.
     */
    public void check(String name) {
        NetnsRecord r = require(name);
        try {
            if ("cni".equals(r.connector())) {
                Path saved = store.dir(name).resolve(CNI_CONFIG);
                CniNetwork network = CniNetwork.parse(readConfig(saved), saved, r.network());
                new CniRunner(network, name, r.path(), r.ports()).check(readResult(name));
            } else if (r.connectorPid() > 0 && !ProcessInfo.isAlive(r.connectorPid(), r.connectorStart())) {
                throw new BerthException(BerthException.Kind.STATE, r.connector() + " (PID " + r.connectorPid()
                        + ") is gone; delete and add the namespace again");
            }
        } catch (BerthException e) {
            throw e.within("netns check " + name);
        }
    }

    /** Runs {@code argv} inside the namespace (and its user namespace); returns its exit status. */
    public int exec(String name, List<String> argv, List<String> env, String cwd) {
        NetnsRecord r = require(name);
        if (argv.isEmpty()) throw BerthException.invalid("netns exec " + name + ": no command given");
        return NetnsExec.run(r, argv, env, cwd, log.enabled(Log.Level.DEBUG) ? 4 : 3);
    }

    /** The record of a namespace to join; one {@code ip netns add} made gets a record on the fly. */
    public NetnsRecord require(String name) {
        NetnsName.check(name);
        NetnsRecord r = store.read(name);
        if (r == null && root && RootNetns.exists(name)) {
            return new NetnsRecord(name, RootNetns.path(name).toString(), null, 0, 0, null, null, 0, 0, List.of(),
                    List.of());
        }
        if (r == null) throw NetnsStore.notFound(name);
        if (r.rootless() && !ProcessInfo.isAlive(r.holderPid(), r.holderStart())) {
            throw new BerthException(BerthException.Kind.STATE, "netns " + name + ": its holder process "
                    + r.holderPid() + " is gone, and the namespace with it; berth netns delete " + name + " removes the rest");
        }
        return r;
    }

    /** The resolv.conf add wrote for the namespace, or null. */
    public Path resolvConf(String name) {
        Path f = store.dir(name).resolve(NetnsStore.RESOLV_CONF);
        return Files.exists(f) ? f : null;
    }

    /** The connector first (it holds the namespace open), then the holder; each waited for. */
    private void stopProcesses(NetnsRecord r) {
        stop(r.connectorPid(), r.connectorStart(), 15);
        stop(r.holderPid(), r.holderStart(), 9);
    }

    /**
     * Signals a process that is not berth's child (it was started by an earlier berth), so it
     * cannot be waited for: its /proc entry is watched instead, and SIGKILL follows after 2 s.
     */
    private static void stop(int pid, long start, int signal) {
        if (pid <= 0 || !Sys.signal(pid, start, signal)) return;
        for (int i = 0; i < 400 && ProcessInfo.isAlive(pid, start); i++) {
            if (i == 200) Sys.signal(pid, start, 9);
            Slirp.sleep(10);
        }
        try {
            Sys.waitpid(pid, Sys.WNOHANG); // reaps it when this berth started it (a failed add)
        } catch (BerthException notOurChild) {
            // ECHILD: an earlier berth started it; init reaps it
        }
    }

    private String readResult(String name) {
        try {
            return Files.readString(store.dir(name).resolve(CNI_RESULT));
        } catch (IOException e) {
            return null;
        }
    }

    private static String readConfig(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw NetnsStore.io("read " + file, e);
        }
    }

    static final String CNI_CONFIG = "cni.conflist";
}
