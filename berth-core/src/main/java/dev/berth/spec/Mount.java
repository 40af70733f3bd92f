package dev.berth.spec;

import java.util.List;

/**
 * One entry of mounts, as written in config.json ({@code type} and {@code source} may be null).
 * How the options turn into flags is {@link MountOptions}' business.
 */
public record Mount(String destination, String type, String source, List<String> options,
        List<IdMapping> uidMappings, List<IdMapping> gidMappings) {
    public Mount {
        options = List.copyOf(options);
        uidMappings = List.copyOf(uidMappings);
        gidMappings = List.copyOf(gidMappings);
    }
}
