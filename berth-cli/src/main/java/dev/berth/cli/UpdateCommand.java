package dev.berth.cli;

import dev.berth.api.BerthException;
import dev.berth.json.Json;
import dev.berth.spec.Resources;
import dev.berth.spec.ResourcesParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code berth update [flags] <id>}: runc's flags and {@code -r FILE} (linux.resources JSON, "-"
 * for stdin); a flag wins over the same field of the file. Only what is given is written.
 */
final class UpdateCommand implements Command {
    static final Flag RESOURCES = Flag.string("resources", "r",
            "path to the file containing the resources to update or '-' to read from the standard input");
    static final Flag BLKIO_WEIGHT = Flag.string("blkio-weight", null,
            "Specifies per cgroup weight, range is from 10 to 1000 (default: 0)");
    static final Flag CPU_PERIOD = Flag.string("cpu-period", null,
            "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default");
    static final Flag CPU_QUOTA = Flag.string("cpu-quota", null,
            "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period");
    static final Flag CPU_BURST = Flag.string("cpu-burst", null,
            "CPU CFS hardcap burst limit (in usecs). Allowed accumulated cpu time additionally for burst a given period");
    static final Flag CPU_SHARE = Flag.string("cpu-share", null, "CPU shares (relative weight vs. other containers)");
    static final Flag CPU_RT_PERIOD = Flag.string("cpu-rt-period", null,
            "CPU realtime period to be used for hardcapping (in usecs). 0 to use system default");
    static final Flag CPU_RT_RUNTIME = Flag.string("cpu-rt-runtime", null,
            "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period");
    static final Flag CPUSET_CPUS = Flag.string("cpuset-cpus", null, "CPU(s) to use");
    static final Flag CPUSET_MEMS = Flag.string("cpuset-mems", null, "Memory node(s) to use");
    static final Flag KERNEL_MEMORY = Flag.string("kernel-memory", null, "(obsoleted; do not use)");
    static final Flag KERNEL_MEMORY_TCP = Flag.string("kernel-memory-tcp", null, "(obsoleted; do not use)");
    static final Flag MEMORY = Flag.string("memory", null, "Memory limit (in bytes)");
    static final Flag MEMORY_RESERVATION = Flag.string("memory-reservation", null,
            "Memory reservation or soft_limit (in bytes)");
    static final Flag MEMORY_SWAP = Flag.string("memory-swap", null,
            "Total memory usage (memory + swap); set '-1' to enable unlimited swap");
    static final Flag PIDS_LIMIT = Flag.string("pids-limit", null,
            "Maximum number of pids allowed in the container (default: 0)");
    static final Flag L3_CACHE = Flag.string("l3-cache-schema", null, "The string of Intel RDT/CAT L3 cache schema");
    static final Flag MEM_BW = Flag.string("mem-bw-schema", null, "The string of Intel RDT/MBA memory bandwidth schema");

    @Override
    public String name() {
        return "update";
    }

    @Override
    public String summary() {
        return "update container resource constraints";
    }

    @Override
    public String argsUsage() {
        return "<container-id>";
    }

    @Override
    public String description() {
        return "The data given with -r is the linux.resources object of config.json, for example:\n\n"
                + "   {\n"
                + "     \"memory\": {\"limit\": 67108864, \"reservation\": 33554432, \"swap\": 134217728},\n"
                + "     \"cpu\": {\"shares\": 512, \"quota\": 50000, \"period\": 100000, \"cpus\": \"0-1\"},\n"
                + "     \"blockIO\": {\"weight\": 500},\n"
                + "     \"pids\": {\"limit\": 100}\n"
                + "   }\n\n"
                + "Flags win over the same fields of the file. Only what is given is written; device\n"
                + "rules are not changed.";
    }

    @Override
    public List<Flag> flags() {
        return List.of(RESOURCES, BLKIO_WEIGHT, CPU_PERIOD, CPU_QUOTA, CPU_BURST, CPU_SHARE, CPU_RT_PERIOD,
                CPU_RT_RUNTIME, CPUSET_CPUS, CPUSET_MEMS, KERNEL_MEMORY, KERNEL_MEMORY_TCP, MEMORY,
                MEMORY_RESERVATION, MEMORY_SWAP, PIDS_LIMIT, L3_CACHE, MEM_BW);
    }

    @Override
    public int run(Context ctx, ParsedArgs a) throws Exception {
        Arity.exactly(this, a, 1);
        String id = ContainerIds.check(a.arg(0));
        var container = ctx.runtime().get(id);
        Map<String, Object> json = new LinkedHashMap<>();
        String file = a.string(RESOURCES, "");
        if (!file.isEmpty()) json = readFile(file);
        overlay(a, json);
        if (a.isSet(L3_CACHE) || a.isSet(MEM_BW)) {
            throw BerthException.invalid("Intel RDT is not supported by this berth version");
        }
        Resources r = ResourcesParser.parseFile(json, "resources");
        container.update(r, "resources");
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readFile(String file) throws IOException {
        String text = file.equals("-") ? new String(System.in.readAllBytes())
                : Files.readString(Context.absolute(file));
        Object v = Json.parse(text, file.equals("-") ? "stdin" : Path.of(file).getFileName().toString());
        if (!(v instanceof Map)) throw BerthException.invalid("resources: must be a JSON object");
        return new LinkedHashMap<>((Map<String, Object>) v);
    }

    /** The flags, written into the resources JSON under their runtime-spec names. */
    static void overlay(ParsedArgs a, Map<String, Object> json) {
        if (a.isSet(BLKIO_WEIGHT)) {
            long w = unsigned(a, BLKIO_WEIGHT);
            if (w > 65535) throw BerthException.invalid("invalid value for blkio-weight: value out of range");
            section(json, "blockIO").put("weight", w);
        }
        if (a.isSet(CPU_PERIOD)) section(json, "cpu").put("period", unsigned(a, CPU_PERIOD));
        if (a.isSet(CPU_QUOTA)) section(json, "cpu").put("quota", signed(a, CPU_QUOTA));
        if (a.isSet(CPU_BURST)) section(json, "cpu").put("burst", unsigned(a, CPU_BURST));
        if (a.isSet(CPU_SHARE)) section(json, "cpu").put("shares", unsigned(a, CPU_SHARE));
        if (a.isSet(CPU_RT_PERIOD)) section(json, "cpu").put("realtimePeriod", unsigned(a, CPU_RT_PERIOD));
        if (a.isSet(CPU_RT_RUNTIME)) section(json, "cpu").put("realtimeRuntime", signed(a, CPU_RT_RUNTIME));
        if (a.isSet(CPUSET_CPUS)) section(json, "cpu").put("cpus", a.string(CPUSET_CPUS, ""));
        if (a.isSet(CPUSET_MEMS)) section(json, "cpu").put("mems", a.string(CPUSET_MEMS, ""));
        if (a.isSet(MEMORY)) section(json, "memory").put("limit", bytes(a, MEMORY));
        if (a.isSet(MEMORY_RESERVATION)) section(json, "memory").put("reservation", bytes(a, MEMORY_RESERVATION));
        if (a.isSet(MEMORY_SWAP)) section(json, "memory").put("swap", bytes(a, MEMORY_SWAP));
        if (a.isSet(KERNEL_MEMORY)) section(json, "memory").put("kernel", bytes(a, KERNEL_MEMORY));
        if (a.isSet(KERNEL_MEMORY_TCP)) section(json, "memory").put("kernelTCP", bytes(a, KERNEL_MEMORY_TCP));
        if (a.isSet(PIDS_LIMIT)) section(json, "pids").put("limit", signed(a, PIDS_LIMIT));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> json, String key) {
        Object v = json.get(key);
        Map<String, Object> m = v instanceof Map ? new LinkedHashMap<>((Map<String, Object>) v) : new LinkedHashMap<>();
        json.put(key, m);
        return m;
    }

    private static long unsigned(ParsedArgs a, Flag f) {
        String v = a.string(f, "");
        try {
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid value for " + f.name() + ": strconv.ParseUint: parsing "
                    + GoQuote.quote(v) + ": invalid syntax");
        }
    }

    private static long signed(ParsedArgs a, Flag f) {
        String v = a.string(f, "");
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid value for " + f.name() + ": strconv.ParseInt: parsing "
                    + GoQuote.quote(v) + ": invalid syntax");
        }
    }

    private static long bytes(ParsedArgs a, Flag f) {
        String v = a.string(f, "");
        if (v.equals("-1")) return -1;
        long n = RamSize.parse(v);
        if (n < 0) throw BerthException.invalid("invalid value for " + f.name() + ": invalid size: '" + v + "'");
        return n;
    }
}
