package dev.berth.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A validated config.json (runtime-spec 1.2). {@code process} is null when the config has none;
 * {@code hostname} and {@code domainname} are null when absent or empty. {@code warnings} are
 * complete messages ("config.json: unknown property "proces" ignored") for the caller to log.
 */
public record Spec(String ociVersion, Root root, ProcessSpec process, String hostname, String domainname,
        List<Mount> mounts, Hooks hooks, Map<String, String> annotations, LinuxSpec linux, Path bundle,
        List<String> warnings) {

    public Spec {
        mounts = List.copyOf(mounts);
        annotations = Frozen.orderedMap(annotations);
        warnings = List.copyOf(warnings);
    }
}
