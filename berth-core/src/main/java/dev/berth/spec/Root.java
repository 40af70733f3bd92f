package dev.berth.spec;

import java.nio.file.Path;

/** The root file system: {@code path} is absolute and canonical (resolved against the bundle). */
public record Root(Path path, boolean readonly) {
}
