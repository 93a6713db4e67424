package dev.pictor.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the shipped Grafana dashboard and Prometheus alert rules ({@code deploy/}) ask of pictor's metrics. */
public final class OpsKit {
    public static final Path DASHBOARD = Path.of("deploy/grafana/pictor-dashboard.json");
    public static final Path ALERTS = Path.of("deploy/prometheus/pictor-alerts.yaml");
    /** pictor's own metrics and Micrometer's JVM and process ones: the names a PromQL expression here can mean. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:pictor|jvm|process|system)_[a-z0-9_]+\\b");

    private OpsKit() {
    }

    public static JsonNode dashboard() {
        return read(DASHBOARD, new ObjectMapper());
    }

    public static JsonNode alerts() {
        return read(ALERTS, new YAMLMapper());
    }

    /** Every PromQL expression: the alert rules', the dashboard's panel targets and its template queries. */
    public static List<String> expressions() {
        var out = new ArrayList<String>();
        alerts().path("groups").forEach(g -> g.path("rules").forEach(r -> out.add(r.path("expr").asText())));
        dashboard().path("panels").forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
        dashboard().path("templating").path("list").forEach(v -> {
            if (v.path("type").asText().equals("query")) out.add(v.path("query").asText());
        });
        return out;
    }

    /** Every metric name the expressions use. */
    public static Set<String> metricNames() {
        var names = new TreeSet<String>();
        for (String e : expressions()) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) names.add(m.group());
        }
        return names;
    }

    /** Every value (or alternative of a regex value) the expressions match the label {@code label} against. */
    public static Set<String> labelValues(String label) {
        var values = new TreeSet<String>();
        Pattern p = Pattern.compile("\\b" + label + "\\s*=~?\\s*\"([^\"]*)\"");
        for (String e : expressions()) {
            Matcher m = p.matcher(e);
            while (m.find()) values.addAll(List.of(m.group(1).split("\\|")));
        }
        return values;
    }

    /** Whether a Prometheus text scrape has a series of {@code name}. */
    public static boolean scraped(String scrape, String name) {
        return scrape.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }

    private static JsonNode read(Path file, ObjectMapper mapper) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
