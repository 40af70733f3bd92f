package dev.berth.spec;

/** One entry of linux.namespaces: a new namespace ({@code path} null) or one to join. */
public record Namespace(NamespaceType type, String path) {
    public boolean isNew() {
        return path == null;
    }
}
