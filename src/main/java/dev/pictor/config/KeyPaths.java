package dev.pictor.config;

/** Key paths as {@code check} prints them: {@code providers.aimlapi.base-url}, {@code routes[1].provider}. */
final class KeyPaths {
    private KeyPaths() {
    }

    static String join(String parent, String child) {
        if (parent == null || parent.isEmpty()) return child == null ? "" : child;
        if (child == null || child.isEmpty()) return parent;
        return child.startsWith("[") ? parent + child : parent + "." + child;
    }

    static String index(String parent, int i) {
        return (parent == null ? "" : parent) + "[" + i + "]";
    }
}
