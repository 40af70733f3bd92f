package dev.berth.engine;

import dev.berth.api.BerthException;

/** runc's rule for container ids: letters, digits, '_', '+', '-', '.', and not "." or "..". */
public final class ContainerId {
    private ContainerId() {}

    public static void check(String id) {
        boolean ok = id != null && !id.isEmpty() && !id.equals(".") && !id.equals("..");
        for (int i = 0; ok && i < id.length(); i++) {
            char c = id.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '+' || c == '-' || c == '.';
        }
        if (!ok) throw BerthException.invalid("invalid container id format: " + id);
    }
}
