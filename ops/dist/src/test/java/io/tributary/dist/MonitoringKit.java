package io.tributary.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The monitoring kit in ops/monitoring: Prometheus' scrape config, the alert rules and their tests,
 * the JMX exporter rules of the Connect worker and the Grafana dashboard.
 */
final class MonitoringKit {
    static final Path DIR = Distributions.REPO.resolve("ops/monitoring");
    static final Path ALERTS = DIR.resolve("alerts.yml");
    static final Path DASHBOARD = DIR.resolve("grafana/tributary.json");
    private static final Pattern EXPORTED = Pattern.compile("\\b(?:tributary|kafka|debezium)_[A-Za-z0-9_]+\\b");
    /** Names only the Connect worker's JMX exporter serves (jmx-exporter/connect.yaml). */
    private static final Pattern CONNECT_ONLY = Pattern.compile("tributary_sink_.*|debezium_.*|kafka_connect_.*");

    /** Which process serves a metric: the streams app's /metrics, or the Connect worker's JMX exporter. */
    enum Source { APP, CONNECT }

    private MonitoringKit() {
    }

    /**
     * The names of the metrics the alert rules and the dashboard read (not Prometheus' own, such as up),
     * by the process that must serve them: an expression is the worker's when it selects
     * {@code job="tributary-connect"} or reads a name only the worker serves, else the app's.
     */
    static Map<Source, Set<String>> exportedMetricNames() {
        Map<Source, Set<String>> names = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            names.put(s, new TreeSet<>());
        }
        for (String expr : expressions()) {
            Set<String> used = new TreeSet<>();
            Matcher m = EXPORTED.matcher(expr);
            while (m.find()) {
                used.add(m.group());
            }
            boolean connect = expr.contains("job=\"tributary-connect\"") || used.stream().anyMatch(n -> CONNECT_ONLY.matcher(n).matches());
            names.get(connect ? Source.CONNECT : Source.APP).addAll(used);
        }
        return names;
    }

    /** Every PromQL expression of the alert rules and of the dashboard's panels. */
    @SuppressWarnings("unchecked")
    static List<String> expressions() {
        List<String> exprs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(ALERTS)) {
            for (Map<String, Object> group : (List<Map<String, Object>>) new Yaml().<Map<String, Object>>load(r).get("groups")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                    exprs.add(String.valueOf(rule.get("expr")));
                }
            }
            for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels")) {
                panel.path("targets").forEach(t -> exprs.add(t.path("expr").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return exprs;
    }

    /** The metric names in a Prometheus text exposition (with _bucket, _count, _sum, _total as served). */
    static Set<String> served(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }
}
