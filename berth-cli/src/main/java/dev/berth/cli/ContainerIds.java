package dev.berth.cli;

import dev.berth.api.BerthException;

/**
 * runc's rule for a container id, checked before anything touches the state directory: it is a
 * directory name there, so only letters, digits, '_', '+', '-' and '.', and never "." or "..".
 */
final class ContainerIds {
    private ContainerIds() {}

    static String check(String id) {
        if (id.isEmpty()) throw BerthException.invalid("container id cannot be empty");
        boolean ok = !id.equals(".") && !id.equals("..");
        for (int i = 0; ok && i < id.length(); i++) {
            char c = id.charAt(i);
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '+' || c == '-' || c == '.';
        }
        if (!ok) throw BerthException.invalid("invalid container id format: " + id);
        return id;
    }
}
