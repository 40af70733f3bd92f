package dev.berth.spec;

import java.util.Map;

/** The rules of config.json that relate one field to another, mostly to the namespaces. */
final class SpecValidator {
    private final Report report;

    SpecValidator(Report report) {
        this.report = report;
    }

    void validate(Spec spec) {
        LinuxSpec linux = spec.linux();
        // Without a mount namespace runc mounts into the host's file system and chroots; berth
        // does not offer that: every op of the plan assumes its mounts stay in the container.
        if (!linux.has(NamespaceType.MOUNT)) {
            throw report.error("linux.namespaces", "must contain a mount namespace: berth does not set up a "
                    + "container in the runtime's own mount namespace");
        }
        userNamespace(linux);
        timeNamespace(linux);
        utsField("hostname", spec.hostname(), linux);
        utsField("domainname", spec.domainname(), linux);
        for (Map.Entry<String, String> e : linux.sysctl().entrySet()) {
            String why = SysctlRules.refusal(e.getKey(), linux);
            if (why != null) throw report.error(Node.entry("linux.sysctl", e.getKey()), why);
        }
    }

    private void utsField(String field, String value, LinuxSpec linux) {
        if (value == null) return;
        if (!linux.has(NamespaceType.UTS)) throw report.error(field, "needs a UTS namespace, and linux.namespaces has none");
        if (linux.joinedOutsideNewUserNamespace(NamespaceType.UTS)) {
            throw report.error(field, "cannot be set: the UTS namespace is joined by path and the user namespace is "
                    + "new, so the container has no rights in it");
        }
    }

    private void userNamespace(LinuxSpec linux) {
        Namespace user = linux.namespace(NamespaceType.USER);
        boolean uids = !linux.uidMappings().isEmpty();
        boolean gids = !linux.gidMappings().isEmpty();
        if (user == null) {
            if (uids) throw report.error("linux.uidMappings", "set, but linux.namespaces has no user namespace");
            if (gids) throw report.error("linux.gidMappings", "set, but linux.namespaces has no user namespace");
        } else if (user.isNew()) {
            // The parent writes both maps; with one of them missing, setuid or setgid would fail later.
            String both = "a new user namespace needs uidMappings and gidMappings";
            if (!uids) throw report.error("linux.uidMappings", both);
            if (!gids) throw report.error("linux.gidMappings", both);
        } else if (uids || gids) {
            // containerd and CRI-O send the mappings of the namespace they pass by path; runc accepts that.
            report.warn("linux.uidMappings and linux.gidMappings are ignored: the user namespace is joined by path");
        }
    }

    private void timeNamespace(LinuxSpec linux) {
        if (linux.timeOffsets().isEmpty()) return;
        Namespace time = linux.namespace(NamespaceType.TIME);
        if (time == null) throw report.error("linux.timeOffsets", "set, but linux.namespaces has no time namespace");
        if (!time.isNew()) {
            throw report.error("linux.timeOffsets", "cannot be applied to a time namespace joined by path");
        }
    }
}
