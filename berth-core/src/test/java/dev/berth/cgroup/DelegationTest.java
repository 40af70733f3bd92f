package dev.berth.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class DelegationTest {
    private static final Hierarchy V2 = new Hierarchy("", Path.of("/sys/fs/cgroup"), "/", true);

    /** Owner 1000 for everything in and below {@code owned}, root for the rest. */
    private static ToIntFunction<Path> ownedBelow(String... owned) {
        Set<String> tops = Set.of(owned);
        return p -> {
            for (String t : tops) {
                if (p.startsWith(Path.of("/sys/fs/cgroup" + t))) return 1000;
            }
            return 0;
        };
    }

    @Test
    void theTopmostOwnedAncestorIsTheSubtree() {
        assertEquals("/user/deleg", Delegation.subtree(V2, "/user/deleg/session", 1000, ownedBelow("/user/deleg")));
        assertEquals("/user/deleg/session",
                Delegation.subtree(V2, "/user/deleg/session", 1000, ownedBelow("/user/deleg/session")));
        assertNull(Delegation.subtree(V2, "/user/deleg/session", 1000, ownedBelow()), "nothing owned");
        assertNull(Delegation.subtree(V2, "/", 1000, ownedBelow()), "the root belongs to root");
        assertNull(Delegation.subtree(V2, "/user/deleg/session", 1001, ownedBelow("/user/deleg")), "another user's");
    }

    @Test
    void aDirectoryWhoseProcsFileIsNotTheUsersIsNotDelegated() {
        ToIntFunction<Path> owner = p -> p.getFileName().toString().equals("cgroup.procs")
                && p.getParent().endsWith("deleg") ? 0 : p.startsWith(Path.of("/sys/fs/cgroup/deleg")) ? 1000 : 0;
        assertEquals("/deleg/session", Delegation.subtree(V2, "/deleg/session", 1000, owner));
    }

    @Test
    void relativePathsGoBelowTheTopAbsoluteOnesMustBeInside() {
        assertEquals("/user/deleg/c1", Delegation.place("/user/deleg", "c1"));
        assertEquals("/user/deleg/pods/c1", Delegation.place("/user/deleg", "/user/deleg/pods/c1"));
        assertNull(Delegation.place("/user/deleg", "/user/deleg"), "the top itself holds no container");
        assertNull(Delegation.place("/user/deleg", "/user/delegate/c1"), "a sibling with the same prefix");
        assertNull(Delegation.place("/user/deleg", "/c1"), "outside");
    }
}
