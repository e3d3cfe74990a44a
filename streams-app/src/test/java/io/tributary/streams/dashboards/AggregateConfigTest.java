package io.tributary.streams.dashboards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.streams.PipelinePlan;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.PipelineConfig;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A wrong aggregate fails before anything starts, in one line naming its key. */
class AggregateConfigTest {

    private static PipelinePlan plan(Map<String, String> changes) {
        Map<String, Object> props = new HashMap<>(DashboardFixture.AGGREGATES);
        props.put(PipelineConfig.BOOTSTRAP_SERVERS, "k:9092");
        props.put(PipelineConfig.SCHEMA_REGISTRY_URL, "mock://config");
        props.put(PipelineConfig.CDC_TOPICS, "tributary.shop.transactions,tributary.shop.masters");
        changes.forEach((k, v) -> {
            if (v == null) {
                props.remove(k);
            } else {
                props.put(k, v);
            }
        });
        return PipelinePlan.of(new PipelineConfig(props));
    }

    @Test
    void defaultsFollowTheTablesKind() {
        Map<String, Aggregate> byName = new HashMap<>();
        plan(Map.of()).dashboards().aggregates().forEach(a -> byName.put(a.name(), a));
        Aggregate day = byName.get("events_per_day");
        assertThat(day.zone()).as("the display zone").isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(day.bucket()).isEqualTo(ChronoUnit.DAYS);
        assertThat(day.idColumn()).isEqualTo("event_id");
        assertThat(day.graceMs()).isEqualTo(3_600_000);
        assertThat(day.measures()).extracting(m -> m.name()).containsExactly("count");
        assertThat(byName.get("events_per_hour").measures()).extracting(m -> m.name())
                .containsExactly("events", "amount", "min_amount", "max_amount", "users");
        assertThat(byName.get("transactions_per_status").idColumn()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dashboards.aggregate.events_per_day.table|orders|dashboards.aggregate.events_per_day.table|not the events table",
        "dashboards.aggregate.events_per_day.bucket|week|dashboards.aggregate.events_per_day.bucket|expected minute, hour or day",
        "dashboards.aggregate.events_per_day.zone|Tokyo|dashboards.aggregate.events_per_day.zone|not a time zone id",
        "dashboards.display.zone|Mars/Base|dashboards.display.zone|not a time zone id",
        "dashboards.aggregate.events_per_day.group.by|shop_name|dashboards.aggregate.events_per_day.group.by|not a column of the app_events contract",
        "dashboards.aggregate.events_per_day.group.by|extra|dashboards.aggregate.events_per_day.group.by|a map column cannot group rows",
        "dashboards.aggregate.events_per_day.measures|sum(user_id)|dashboards.aggregate.events_per_day.measures|sum needs a numeric column",
        "dashboards.aggregate.events_per_day.measures|average(amount)|dashboards.aggregate.events_per_day.measures|expected count, sum(column)",
        "dashboards.aggregate.events_per_day.measures|count:Events|dashboards.aggregate.events_per_day.measures|not a lower-case SQL identifier",
        "dashboards.aggregate.events_per_day.measures|count,count|dashboards.aggregate.events_per_day.measures|two measures are named count",
        "dashboards.aggregate.events_per_day.measures|count:bucket_start|dashboards.aggregate.events_per_day.measures|one of [bucket_start",
        "dashboards.aggregate.events_per_day.grace.ms|-5|dashboards.aggregate.events_per_day.grace.ms|must be 0 or more",
        "dashboards.aggregate.events_per_day.time.column|user_id|dashboards.aggregate.events_per_day.time.column|not a timestamp-millis column",
        "dashboards.aggregate.events_per_day.id.column|event_key|dashboards.aggregate.events_per_day.id.column|not a column of the app_events",
        "dashboards.aggregate.transactions_per_status.measures|max(amount)|dashboards.aggregate.transactions_per_status.measures|only count and sum can",
        "dashboards.aggregate.transactions_per_status.grace.ms|1000|dashboards.aggregate.transactions_per_status.grace.ms|only for the events table",
        "dashboards.aggregate.events_per_day.colour|red|dashboards.aggregate.events_per_day.colour|unknown setting",
        "dashboards.aggregate.per_week.table|app_events|dashboards.aggregate.per_week.table|is not listed in dashboards.aggregates",
        "dashboards.aggregates|events_per_hour,Per-Day|dashboards.aggregates|lower-case SQL identifiers",
    })
    void eachMistakeIsOneLineNamingItsKey(String key, String value, String named, String message) {
        assertThatThrownBy(() -> plan(Map.of(key, value))).isInstanceOf(ConfigException.class)
                .hasMessageContaining(named).hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aCdcAggregateNeedsItsTimeColumnAndAnAggregateNameFitsPostgres() {
        Map<String, String> noTime = new HashMap<>();
        noTime.put("dashboards.aggregate.transactions_per_status.time.column", null);
        assertThatThrownBy(() -> plan(noTime)).hasMessageContaining("transactions_per_status.time.column")
                .hasMessageContaining("required for CDC table transactions");
        String longName = "a".repeat(60);
        assertThatThrownBy(() -> plan(Map.of("dashboards.aggregates", DashboardFixture.AGGREGATES.get("dashboards.aggregates") + "," + longName, "dashboards.aggregate." + longName + ".table",
                "app_events", "dashboards.aggregate." + longName + ".bucket", "hour")))
                .hasMessageContaining("longer than PostgreSQL's 63 bytes");
    }

    /** The shipped configuration declares the seed charts, and they build. */
    @Test
    void theShippedConfigurationDeclaresTheSeedCharts() throws Exception {
        PipelineConfig config = PipelineConfig.load(Path.of("config/pipeline.properties"), Map.of("TRIBUTARY_PII_SALT", "s"));
        PipelinePlan plan = PipelinePlan.of(config);
        assertThat(plan.dashboards().aggregates()).extracting(Aggregate::name)
                .containsExactly("events_per_hour", "transactions_per_status");
        assertThat(plan.dashboards().displayZone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(io.tributary.streams.TributaryTopology.dashboards(new org.apache.kafka.streams.StreamsBuilder(), plan,
                io.tributary.streams.metrics.PipelineMetrics.discarding()).describe().toString())
                .contains("lake.app_events", "lake.transactions", "dash.events_per_hour", "dash.transactions_per_status");
    }
}
