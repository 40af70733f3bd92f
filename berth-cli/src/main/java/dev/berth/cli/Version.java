package dev.berth.cli;

import dev.berth.spec.Features;

/**
 * What {@code berth --version} prints. Constants rather than a resource read at start-up; a unit
 * test keeps {@link #BERTH} equal to the Maven project version.
 */
final class Version {
    static final String BERTH = "0.1.0";
    /** The newest OCI runtime-spec version berth implements, as {@code berth features} reports it. */
    static final String SPEC = Features.OCI_VERSION_MAX;

    private Version() {}

    /** runc prints "runc version X", "spec: Y" and its Go version; berth names its Java instead. */
    static String text() {
        return "berth version " + BERTH + "\nspec: " + SPEC + "\njava: " + System.getProperty("java.version") + "\n";
    }
}
