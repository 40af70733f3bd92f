package dev.berth.cli;

import dev.berth.api.BerthException;
import dev.berth.net.Netns;
import dev.berth.net.NetnsRecord;
import dev.berth.net.PortMapping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code berth netns add|list|delete|exec}: persistent named network namespaces (dev.berth.net).
 * The subcommand is the first argument; each parses its own flags.
 */
final class NetnsCommand implements Command {
    static final Flag CNI = Flag.string("cni", null, "connect through this CNI network (root; berth0 is made on first use)");
    static final Flag CNI_DIR = Flag.string("cni-dir", null, "where CNI network lists NAME.conflist are (default /etc/berth/cni)");
    static final Flag SLIRP = Flag.bool("slirp4netns", null, "connect through slirp4netns (user-mode NAT)");
    static final Flag PASTA = Flag.bool("pasta", null, "connect through pasta (Debian package passt)");
    static final Flag PUBLISH = Flag.string("publish", "p",
            "forward [IP:]HOSTPORT:CONTAINERPORT[/tcp|udp], bound to 127.0.0.1 unless IP is given (repeatable)");
    static final Flag DNS = Flag.string("dns", null, "a name server for the namespace's resolv.conf (repeatable)");
    static final Flag QUIET = Flag.bool("quiet", "q", "print only the names");
    private static final List<Flag> ADD_FLAGS = List.of(CNI, CNI_DIR, SLIRP, PASTA, PUBLISH, DNS);

    @Override
    public String name() {
        return "netns";
    }

    @Override
    public String summary() {
        return "manage persistent network namespaces";
    }

    @Override
    public String argsUsage() {
        return "add|list|delete|exec|check [arguments...]";
    }

    @Override
    public String description() {
        return "berth netns add [--cni NETWORK [--cni-dir DIR] | --slirp4netns | --pasta] [-p [IP:]HOST:CONTAINER[/tcp|udp]]...\n"
                + "                [--dns IP]... NAME\n"
                + "berth netns list [-q]\n"
                + "berth netns delete NAME...\n"
                + "berth netns exec NAME -- COMMAND [ARG...]\n"
                + "berth netns check NAME    CNI CHECK, or whether its connector still runs\n"
                + "berth spec --netns NAME   writes a config.json that joins it\n\n"
                + "As root a namespace is /run/netns/NAME, shared with ip netns. For other users it is held\n"
                + "by a berth-init process in a user namespace of its own (the user's id mapped to root, its\n"
                + "/etc/subuid range after it), which containers join together with the network namespace.\n\n"
                + "ADD OPTIONS:\n" + Help.options(ADD_FLAGS);
    }

    @Override
    public List<Flag> flags() {
        return List.of();
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws Exception {
        if (a.args().isEmpty()) throw UsageException.arguments("berth: \"netns\" needs a subcommand: add, list, delete, exec or check");
        String sub = a.arg(0);
        List<String> rest = a.args().subList(1, a.args().size());
        Netns netns = new Netns(Netns.defaultDir(), ctx.log());
        return switch (sub) {
            case "add" -> add(netns, rest);
            case "list", "ls" -> list(ctx, netns, rest);
            case "delete", "del", "rm" -> delete(netns, rest);
            case "exec" -> exec(netns, rest);
            case "check" -> {
                if (rest.size() != 1) throw UsageException.arguments("berth: \"netns check\" requires exactly 1 argument(s): NAME");
                netns.check(rest.get(0));
                yield 0;
            }
            default -> throw UsageException.arguments("berth: netns has no subcommand " + GoQuote.quote(sub)
                    + " (add, list, delete, exec, check)");
        };
    }

    private int add(Netns netns, List<String> args) throws UsageException {
        List<String> rest = new ArrayList<>(args);
        List<String> publish = takeRepeated(rest, PUBLISH);
        List<String> dns = takeRepeated(rest, DNS);
        ParsedArgs a = ArgParser.parse(ADD_FLAGS, rest, true);
        if (a.args().size() != 1) throw UsageException.arguments("berth: \"netns add\" requires exactly 1 argument(s): NAME");
        List<PortMapping> ports = new ArrayList<>();
        for (String p : publish) ports.add(PortMapping.parse(p));
        String cniDir = a.string(CNI_DIR, null);
        if (cniDir != null && !a.isSet(CNI)) throw BerthException.invalid("--cni-dir needs --cni NETWORK");
        netns.add(a.arg(0), new Netns.AddOptions(a.string(CNI, null), cniDir == null ? null : Context.absolute(cniDir),
                a.bool(SLIRP), a.bool(PASTA), ports, dns));
        return 0;
    }

    /**
     * Flags that may be given more than once (urfave's StringSlice), taken out of the arguments
     * before the shared parser, which keeps one value per flag: -p V, -p=V, --publish V, ...
     */
    static List<String> takeRepeated(List<String> args, Flag flag) throws UsageException {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < args.size(); ) {
            String s = args.get(i);
            if (s.equals("--")) break;
            String name = s.startsWith("--") ? s.substring(2) : s.startsWith("-") ? s.substring(1) : null;
            int eq = name == null ? -1 : name.indexOf('=');
            if (name != null && flag.named(eq >= 0 ? name.substring(0, eq) : name)) {
                args.remove(i);
                if (eq >= 0) {
                    values.add(name.substring(eq + 1));
                } else {
                    if (i >= args.size()) throw UsageException.flag("flag needs an argument: -" + name);
                    values.add(args.remove(i));
                }
            } else {
                i++;
            }
        }
        return values;
    }

    private int list(Context ctx, Netns netns, List<String> args) throws UsageException {
        ParsedArgs a = ArgParser.parse(List.of(QUIET), args, true);
        if (!a.args().isEmpty()) throw UsageException.arguments("berth: \"netns list\" takes no arguments");
        StringBuilder names = new StringBuilder();
        TabWriter w = new TabWriter(1, 3).write("NAME\tCONNECTOR\tADDRESS\tPORTS\tHOLDER\tPATH\n");
        for (Netns.Listed l : netns.list()) {
            names.append(l.name()).append('\n');
            NetnsRecord r = l.record();
            String connector = r == null ? "(ip netns)" : r.connector() == null ? "none" : r.connector()
                    + (r.network() != null ? ":" + r.network() : "");
            String holder = r != null && r.rootless() ? Integer.toString(r.holderPid()) : "-";
            w.write(l.name() + "\t" + connector + "\t" + (l.address() == null ? "-" : l.address()) + "\t"
                    + (r == null || r.ports().isEmpty() ? "-" : join(r.ports())) + "\t" + holder + "\t"
                    + (r == null ? "/run/netns/" + l.name() : r.path()) + (l.alive() ? "" : " (gone)") + "\n");
        }
        ctx.out().print(a.bool(QUIET) ? names.toString() : w.flush());
        return 0;
    }

    private static String join(List<PortMapping> ports) {
        StringBuilder sb = new StringBuilder();
        for (PortMapping p : ports) sb.append(sb.isEmpty() ? "" : ",").append(p);
        return sb.toString();
    }

    private int delete(Netns netns, List<String> args) throws UsageException {
        if (args.isEmpty()) throw UsageException.arguments("berth: \"netns delete\" requires at least 1 argument(s): NAME");
        // Each name is tried; the failures are reported together.
        List<String> failures = new ArrayList<>();
        for (String name : args) {
            try {
                netns.delete(name);
            } catch (BerthException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) throw new BerthException(BerthException.Kind.SYSTEM, String.join("\n", failures));
        return 0;
    }

    private int exec(Netns netns, List<String> args) throws UsageException {
        if (args.size() < 2) {
            throw UsageException.arguments("berth: \"netns exec\" requires a name and a command: netns exec NAME -- COMMAND");
        }
        List<String> command = args.subList(1, args.size());
        if (command.get(0).equals("--")) command = command.subList(1, command.size());
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) env.add(e.getKey() + "=" + e.getValue());
        return netns.exec(args.get(0), command, env, Path.of("").toAbsolutePath().toString());
    }
}
