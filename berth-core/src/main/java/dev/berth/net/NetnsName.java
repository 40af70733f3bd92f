package dev.berth.net;

import dev.berth.api.BerthException;

/**
 * The names berth gives network namespaces. {@code ip netns} takes almost anything but '/';
 * berth keeps to letters, digits, '_', '.' and '-', because the name also becomes a file name,
 * a CNI container id (which allows only those) and part of a host interface's name.
 */
public final class NetnsName {
    /** Long enough for any name people type; short enough for CNI's container id rules. */
    static final int MAX = 64;

    private NetnsName() {}

    public static String check(String name) {
        if (name == null || name.isEmpty()) throw BerthException.invalid("netns: a name is required");
        if (name.equals(".") || name.equals("..")) throw BerthException.invalid("netns name \"" + name + "\" is not allowed");
        if (name.length() > MAX) {
            throw BerthException.invalid("netns name \"" + name + "\" is longer than " + MAX + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '.' || c == '-';
            if (!ok) {
                throw BerthException.invalid("netns name \"" + name + "\": only letters, digits, '_', '.' and '-' "
                        + "are allowed");
            }
        }
        return name;
    }
}
