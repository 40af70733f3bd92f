package dev.berth.spec;

import java.util.List;
import java.util.Map;

/**
 * linux.resources of config.json (or the resources file of {@code update -r}), read and checked.
 * A null field (or a null section) was not given and leaves the cgroup's value alone. Numbers keep
 * the runtime-spec's meaning: memory values in bytes (-1 for no limit), cpu times in microseconds.
 */
public record Resources(Memory memory, Cpu cpu, Long pidsLimit, BlockIo blockIo, List<HugepageLimit> hugepageLimits,
        Network network, Map<String, Rdma> rdma, Map<String, String> unified, List<DeviceRule> devices) {

    public static final Resources NONE = new Resources(null, null, null, null, List.of(), null, Map.of(), Map.of(),
            List.of());

    public Resources {
        hugepageLimits = List.copyOf(hugepageLimits);
        rdma = Frozen.orderedMap(rdma);
        unified = Frozen.orderedMap(unified);
        devices = List.copyOf(devices);
    }

    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long kernelTcp, Long swappiness,
            boolean disableOomKiller, Boolean useHierarchy, boolean checkBeforeUpdate) {}

    public record Cpu(Long shares, Long quota, Long burst, Long period, Long realtimeRuntime, Long realtimePeriod,
            String cpus, String mems, Long idle) {}

    public record BlockIo(Integer weight, Integer leafWeight, List<WeightDevice> weightDevices,
            List<ThrottleDevice> readBps, List<ThrottleDevice> writeBps, List<ThrottleDevice> readIops,
            List<ThrottleDevice> writeIops) {
        public BlockIo {
            weightDevices = List.copyOf(weightDevices);
            readBps = List.copyOf(readBps);
            writeBps = List.copyOf(writeBps);
            readIops = List.copyOf(readIops);
            writeIops = List.copyOf(writeIops);
        }
    }

    public record WeightDevice(long major, long minor, Integer weight, Integer leafWeight) {}

    public record ThrottleDevice(long major, long minor, long rate) {}

    /** @param pageSize as the spec writes it: "2MB", "1GB", "64KB" */
    public record HugepageLimit(String pageSize, long limit) {}

    public record Network(Long classId, Map<String, Long> priorities) {
        public Network {
            priorities = Frozen.orderedMap(priorities);
        }
    }

    public record Rdma(Long hcaHandles, Long hcaObjects) {}

    /**
     * One devices cgroup rule. {@code major}/{@code minor} -1 stand for "*".
     *
     * @param type 'a' (all), 'c' or 'b'
     * @param access a subset of "rwm"
     */
    public record DeviceRule(boolean allow, char type, long major, long minor, String access) {
        /** The rule in the v1 devices.allow/deny syntax: "c 1:3 rwm", "a *:* rwm". */
        public String v1() {
            return type + " " + (major < 0 ? "*" : Long.toString(major)) + ":"
                    + (minor < 0 ? "*" : Long.toString(minor)) + " " + access;
        }
    }

    public boolean isEmpty() {
        return memory == null && cpu == null && pidsLimit == null && blockIo == null && hugepageLimits.isEmpty()
                && network == null && rdma.isEmpty() && unified.isEmpty() && devices.isEmpty();
    }
}
