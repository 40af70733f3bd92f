package dev.berth.it.support;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of the tests that start containers: they need real root (the initial user namespace) and
 * get a fresh {@link Sandbox} (private --root, unique ids, clean-up) per test method.
 */
public abstract class ContainerTestBase {
    protected Sandbox sb;
    protected Cli cli;

    @BeforeEach
    void openSandbox(TestInfo info) {
        assumeTrue(Host.isRoot(), "needs root in the initial user namespace: containers with new namespaces, "
                + "mounts and cgroups");
        RuntimeUnderTest.version();
        String name = info.getTestClass().map(Class::getSimpleName).orElse("test") + "-"
                + info.getTestMethod().map(java.lang.reflect.Method::getName).orElse("");
        sb = new Sandbox(name);
        cli = sb.cli();
    }

    @AfterEach
    void closeSandbox() {
        if (sb != null) sb.close();
    }

    /** Runs the bundle's container in the foreground; it must exit 0. Returns its key=value facts. */
    protected Facts facts(Bundle b) {
        return Facts.of(cli.run(b));
    }
}
