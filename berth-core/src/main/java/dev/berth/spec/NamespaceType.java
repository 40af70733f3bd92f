package dev.berth.spec;

/** The namespace types of runtime-spec config-linux.md, with the clone(2) flag of each. */
public enum NamespaceType {
    CGROUP("cgroup", 0x02000000),
    IPC("ipc", 0x08000000),
    MOUNT("mount", 0x00020000),
    NETWORK("network", 0x40000000),
    PID("pid", 0x20000000),
    TIME("time", 0x00000080),
    USER("user", 0x10000000),
    UTS("uts", 0x04000000);

    private final String specName;
    private final int cloneFlag;

    NamespaceType(String specName, int cloneFlag) {
        this.specName = specName;
        this.cloneFlag = cloneFlag;
    }

    /** The name config.json uses ("network", not "net"). */
    public String specName() {
        return specName;
    }

    /** CLONE_NEW* of this type, as unshare(2) and setns(2) take it. */
    public int cloneFlag() {
        return cloneFlag;
    }

    /** The type named {@code name} in config.json, or null. */
    public static NamespaceType bySpecName(String name) {
        for (NamespaceType t : values()) {
            if (t.specName.equals(name)) return t;
        }
        return null;
    }

    /** "cgroup, ipc, ..." in the order of this enum (alphabetical), for error messages. */
    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (NamespaceType t : values()) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(t.specName);
        }
        return sb.toString();
    }
}
