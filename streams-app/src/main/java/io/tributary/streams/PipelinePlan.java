package io.tributary.streams;

import io.tributary.schemas.contract.Contracts;
import io.tributary.streams.cdc.CdcPii;
import io.tributary.streams.config.DashboardSettings;
import io.tributary.streams.config.LakeTopics;
import io.tributary.streams.config.Lookup;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.dashboards.AggregateChecks;
import io.tributary.streams.events.EventLimits;
import io.tributary.streams.events.EventMapper;
import io.tributary.streams.events.EventTimeWindow;
import io.tributary.streams.events.PiiPolicy;
import io.tributary.streams.pii.KeyedHash;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * A configuration checked against the contracts, and what the topologies are built from: the
 * topics, the events mapper, the lookups by master table, the CDC PII policy and the dashboard
 * aggregates. Everything a
 * configuration can get wrong fails here, as a {@link ConfigException}, before any topology or
 * Kafka client exists, so that {@link TributaryTopology}'s builders only build.
 */
public record PipelinePlan(PipelineConfig config, LakeTopics topics, EventMapper eventMapper,
        Map<String, List<Lookup>> lookupsByTable, CdcPii cdcPii, DashboardSettings dashboards) {

    /** The plan of the live app: events are judged against the wall clock ({@link EventTimeWindow}). */
    public static PipelinePlan of(PipelineConfig config) {
        return of(config, System::currentTimeMillis);
    }

    /**
     * The plan with {@code now} as the clock of the event time window: a replay passes the time of the
     * record it replays, so that the same input gives the same rows whenever it is replayed.
     */
    public static PipelinePlan of(PipelineConfig config, LongSupplier now) {
        LakeTopics topics = LakeTopics.of(config);
        requireLookupTablesAreCaptured(config, topics);
        Schema contract = Contracts.schema(topics.eventsTable());
        Set<String> enriched = enrichmentTargets(config, contract, topics.eventsTable());
        requireKeyField(config, contract, topics.eventsTable());
        requireNoEventPiiOn(enriched, config);
        KeyedHash keyedHash = new KeyedHash(config.piiSalt().value());
        PiiPolicy pii = new PiiPolicy(Set.copyOf(config.piiDrop()), Set.copyOf(config.piiHash()), keyedHash);
        EventMapper mapper = new EventMapper(contract, enriched, config.eventTimeField(), config.eventKeyField(), pii,
                new EventLimits(config.maxEventBytes(), config.maxEventFields(), config.maxNameLength()),
                new EventTimeWindow(config.minEventTimeMs(), config.maxFutureMs(), now));
        Map<String, List<Lookup>> lookupsByTable = new LinkedHashMap<>();
        config.lookups().forEach(l -> lookupsByTable.computeIfAbsent(l.table(), t -> new ArrayList<>()).add(l));
        CdcPii cdcPii = new CdcPii(config.cdcPiiDrop(), config.cdcPiiHash(), keyedHash, topics.cdcTopicsByTable().keySet());
        DashboardSettings dashboards = AggregateChecks.resolve(config.dashboards(), topics);
        return new PipelinePlan(config, topics, mapper, lookupsByTable, cdcPii, dashboards);
    }

    /** The lookups that enrich events from the given master table (none for a table that is not one). */
    public List<Lookup> lookupsOf(String table) {
        return lookupsByTable.getOrDefault(table, List.of());
    }

    private static void requireLookupTablesAreCaptured(PipelineConfig config, LakeTopics topics) {
        for (Lookup lookup : config.lookups()) {
            if (!topics.cdcTopicsByTable().containsKey(lookup.table())) {
                throw new ConfigException("enrichment." + lookup.name() + ".table", lookup.table(),
                        "no topic of this table in " + PipelineConfig.CDC_TOPICS + " " + config.cdcTopics());
            }
        }
    }

    /** The contract columns the lookups fill; each must exist, and so must each lookup's key field. */
    private static Set<String> enrichmentTargets(PipelineConfig config, Schema contract, String table) {
        Set<String> enriched = new HashSet<>();
        config.lookups().forEach(l -> enriched.addAll(l.columns().values()));
        for (String field : enriched) {
            if (contract.getField(field) == null) {
                throw new ConfigException(PipelineConfig.LOOKUPS, field, "enrichment target '" + field
                        + "' is not a field of the " + table + " contract");
            }
        }
        for (Lookup lookup : config.lookups()) {
            if (contract.getField(lookup.eventField()) == null) {
                throw new ConfigException("enrichment." + lookup.name() + ".event.field", lookup.eventField(),
                        "not a field of the " + table + " contract, so no event can carry the master key");
            }
        }
        return enriched;
    }

    private static void requireKeyField(PipelineConfig config, Schema contract, String table) {
        if (!config.eventKeyField().isEmpty() && contract.getField(config.eventKeyField()) == null) {
            throw new ConfigException(PipelineConfig.EVENTS_KEY_FIELD, config.eventKeyField(),
                    "not a field of the " + table + " contract; name one, or leave it empty for unkeyed rows");
        }
    }

    /** Enriched columns come from a master table, where their PII policy belongs: the event's own would never apply. */
    private static void requireNoEventPiiOn(Set<String> enriched, PipelineConfig config) {
        for (String key : List.of(PipelineConfig.PII_DROP, PipelineConfig.PII_HASH)) {
            for (String field : config.getList(key)) {
                if (enriched.contains(field)) {
                    throw new ConfigException(key, field, "filled by enrichment from a master table; protect the master "
                            + "column with " + PipelineConfig.CDC_PII_DROP + " or " + PipelineConfig.CDC_PII_HASH + " instead");
                }
            }
        }
    }
}
