package io.tributary.cli.cdc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.cli.common.CliError;
import io.tributary.streams.metrics.MetricsServer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code cdc verify --every}: verification on a schedule, as a service that serves
 * {@code tributary_cdc_divergent_rows{table}} (-1 until a table's first verification) and a health
 * check (ready once a pass has finished) for Prometheus and its alert.
 */
final class VerifyService {
    private final List<String> tables;
    private final String address;
    private final int port;
    private final Map<String, Integer> divergent = new ConcurrentHashMap<>();

    VerifyService(List<String> tables, String address, int port) {
        this.tables = tables;
        this.address = address;
        this.port = port;
    }

    int run(CdcVerifyCommand.VerifyPass pass, Duration every, PrintWriter out) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (String table : tables) {
            divergent.put(table, -1);
            Gauge.builder("tributary.cdc.divergent.rows", divergent, d -> d.get(table))
                    .description("Rows whose current state differs between the source database and the lake (-1: not verified yet)")
                    .tag("table", table).register(registry);
        }
        AtomicReference<String> state = new AtomicReference<>("STARTING");
        try (MetricsServer server = new MetricsServer(new InetSocketAddress(address, port), registry,
                () -> new MetricsServer.Health(state.get(), true, !"STARTING".equals(state.get())))) {
            out.println("Verifying every " + every + "; metrics on http://" + address + ":" + server.port() + "/metrics");
            out.flush();
            while (true) {
                try {
                    Map<String, Integer> found = pass.run();
                    divergent.putAll(found);
                    state.set(found.values().stream().allMatch(n -> n == 0) ? "CLEAN" : "DIVERGENT");
                } catch (CliError e) {
                    out.println("error: " + e.getMessage());
                    state.set("FAILED");
                }
                out.flush();
                Thread.sleep(every.toMillis());
            }
        }
    }
}
