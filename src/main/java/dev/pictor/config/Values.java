package dev.pictor.config;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers the configuration records share. */
final class Values {
    private Values() {
    }

    static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** An unmodifiable copy that keeps the configuration's order (never null). */
    static <K, V> Map<K, V> ordered(Map<K, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    /** Whether {@code url} is an absolute URL with one of {@code schemes} and a host. */
    static boolean isUrl(String url, String... schemes) {
        if (url == null) return false;
        try {
            URI u = new URI(url.strip());
            if (u.getHost() == null || u.getScheme() == null) return false;
            for (String s : schemes) if (s.equalsIgnoreCase(u.getScheme())) return true;
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    /** The path of an absolute URL without its trailing slashes ("" for none). */
    static String pathOf(String url) {
        String path = URI.create(url.strip()).getPath();
        return path == null ? "" : path.replaceAll("/+$", "");
    }

    static String stripSlash(String url) {
        if (url == null) return null;
        String u = url.strip();
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        return u;
    }

    /** Whether {@code price} is unset or a finite number ≥ 0. */
    static boolean price(Double price) {
        return price == null || !price.isNaN() && !price.isInfinite() && price >= 0;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
