package io.tributary.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The monitoring kit in ops/monitoring: Prometheus' scrape config, the alert rules and their tests. */
final class MonitoringKit {
    static final Path DIR = Distributions.REPO.resolve("ops/monitoring");
    static final Path ALERTS = DIR.resolve("alerts.yml");
    private static final Pattern EXPORTED = Pattern.compile("\\b(?:tributary|kafka)_[a-z0-9_]+\\b");

    private MonitoringKit() {
    }

    /** The names of the metrics the alert rules read that the app exports (not Prometheus' own, such as up). */
    static Set<String> exportedMetricNames() {
        Set<String> names = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(ALERTS)) {
                if (line.trim().startsWith("#") || line.contains("summary:") || line.contains("description:")) {
                    continue; // prose may name a metric; only expressions count
                }
                Matcher m = EXPORTED.matcher(line);
                while (m.find()) {
                    names.add(m.group());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    /** The metric names in a Prometheus text exposition (with _bucket, _count, _sum, _total as served). */
    static Set<String> served(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }
}
