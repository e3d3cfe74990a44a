package io.tributary.cli.athena;

import io.tributary.cli.lake.LakeLocation;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.lake.LakeNames;
import io.tributary.schemas.lake.LakeTimeRange;
import io.tributary.schemas.registry.SchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.schemas.registry.SchemaRegistryException;
import io.tributary.streams.config.PipelineConfig;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Which lake tables with which schemas: the contracts shipped with Tributary, or what a registry holds now. */
public final class LakeTables {
    @Mixin
    LakeLocation location;

    @Option(names = "--database", defaultValue = "tributary", description = "Athena/Glue database (default ${DEFAULT-VALUE}).")
    String database;

    @Option(names = "--registry", paramLabel = "URL",
            description = "Take each table's schema from this registry (subject lake.<table>-value, latest version) "
                    + "instead of the shipped contracts; tables whose CDC source gained columns then get them.")
    String registry;

    @Option(names = "--lake-topic-prefix", defaultValue = LakeNames.DEFAULT_TOPIC_PREFIX,
            description = "With --registry: the lake topics' prefix, as the streams app's lake.topic.prefix (default ${DEFAULT-VALUE}).")
    String lakeTopicPrefix;

    @Option(names = "--dt-range-start", paramLabel = "yyyy-MM-dd", descriptionKey = "TRIBUTARY_EVENTS_MIN_TIME",
            description = "First day of projection.dt.range: the streams app's events.min.time, before which it accepts no "
                    + "event, so every row it writes is visible. Default: TRIBUTARY_EVENTS_MIN_TIME, the variable that sets it "
                    + "for the app, else the app's default " + LakeTimeRange.DEFAULT_START + ".")
    String dtRangeStart;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    public AthenaDdl ddl() {
        return new AthenaDdl(database, location.bucket(), location.prefix(), dtRangeStart());
    }

    /** The option, else the app's setting, else the app's default: the first day the streams app accepts events of. */
    LocalDate dtRangeStart() {
        String start = dtRangeStart != null ? dtRangeStart : LakeTimeRange.DEFAULT_START;
        try {
            PipelineConfig.CONFIG_DEF.configKeys().get(PipelineConfig.EVENTS_MIN_TIME).validator.ensureValid("--dt-range-start", start);
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage() + " (it is the streams app's events.min.time, "
                    + "TRIBUTARY_EVENTS_MIN_TIME)");
        }
        return LocalDate.parse(start);
    }

    public String bucket() {
        return location.bucket();
    }

    /** Table name to schema, in contract order. */
    public Map<String, Schema> schemas() {
        Map<String, Schema> tables = new LinkedHashMap<>();
        SchemaRegistryClient client = registry == null ? null : SchemaRegistryClients.forUrl(registry);
        for (String table : Contracts.TABLES) {
            Schema schema = Contracts.schema(table);
            if (client != null) {
                try {
                    schema = client.latest(LakeNames.subject(lakeTopicPrefix, table)).schema();
                } catch (SchemaRegistryException e) {
                    if (e.errorCode() != SchemaRegistryException.SUBJECT_NOT_FOUND) {
                        throw e;
                    }
                }
            }
            tables.put(table, schema);
        }
        return tables;
    }
}
