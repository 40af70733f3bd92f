package dev.berth.spec;

import java.util.List;

/** linux.personality: the execution domain ("LINUX" or "LINUX32") and its flags. */
public record Personality(String domain, List<String> flags) {
    public Personality {
        flags = List.copyOf(flags);
    }
}
