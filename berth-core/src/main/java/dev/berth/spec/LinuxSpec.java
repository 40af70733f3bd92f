package dev.berth.spec;

import java.util.List;
import java.util.Map;

/**
 * The linux section of config.json. Parts that later work interprets (intelRdt, netDevices,
 * memoryPolicy) stay raw, deeply immutable JSON maps, or null when absent; resources and seccomp
 * are read and checked ({@link Resources#NONE} and null when absent).
 */
public record LinuxSpec(List<Namespace> namespaces, List<IdMapping> uidMappings, List<IdMapping> gidMappings,
        Map<String, TimeOffset> timeOffsets, List<Device> devices, String cgroupsPath,
        Resources resources, String rootfsPropagation, List<String> maskedPaths,
        List<String> readonlyPaths, Map<String, String> sysctl, Seccomp seccomp,
        Personality personality, String mountLabel, Map<String, Object> intelRdt,
        Map<String, Object> netDevices, Map<String, Object> memoryPolicy) {

    /** What a config.json without a linux section means. */
    public static final LinuxSpec EMPTY = new LinuxSpec(List.of(), List.of(), List.of(), Map.of(), List.of(),
            null, Resources.NONE, null, List.of(), List.of(), Map.of(), null, null, null, null, null, null);

    public LinuxSpec {
        namespaces = List.copyOf(namespaces);
        uidMappings = List.copyOf(uidMappings);
        gidMappings = List.copyOf(gidMappings);
        timeOffsets = Frozen.orderedMap(timeOffsets);
        devices = List.copyOf(devices);
        maskedPaths = List.copyOf(maskedPaths);
        readonlyPaths = List.copyOf(readonlyPaths);
        sysctl = Frozen.orderedMap(sysctl);
    }

    /** The entry for {@code type}, or null when the container shares the runtime's namespace. */
    public Namespace namespace(NamespaceType type) {
        for (Namespace ns : namespaces) {
            if (ns.type() == type) return ns;
        }
        return null;
    }

    /** True when the container gets its own namespace of this type, new or joined. */
    public boolean has(NamespaceType type) {
        return namespace(type) != null;
    }

    /**
     * True when the namespace of this type is joined by path while the user namespace is new. A
     * namespace that existed before the user namespace cannot be owned by it, so the container's
     * root has no rights there: sethostname, sysctl writes and sysfs or mqueue mounts fail.
     */
    public boolean joinedOutsideNewUserNamespace(NamespaceType type) {
        Namespace ns = namespace(type);
        return ns != null && !ns.isNew() && isNew(NamespaceType.USER);
    }

    /** True when a new namespace of this type is created for the container. */
    public boolean isNew(NamespaceType type) {
        Namespace ns = namespace(type);
        return ns != null && ns.isNew();
    }
}
