package io.tributary.ops.athena;

import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.registry.SchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.schemas.registry.SchemaRegistryException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    public AthenaDdl ddl() {
        return new AthenaDdl(database, location.bucket(), location.prefix());
    }

    public String bucket() {
        return location.bucket();
    }

    public static Path defaultDir() {
        return Path.of(System.getProperty("tributary.home", "."), "ops", "athena");
    }

    /** Table name to schema, in contract order. */
    public Map<String, Schema> schemas() {
        Map<String, Schema> tables = new LinkedHashMap<>();
        SchemaRegistryClient client = registry == null ? null : SchemaRegistryClients.forUrl(registry);
        for (String table : Contracts.TABLES) {
            Schema schema = Contracts.schema(table);
            if (client != null) {
                try {
                    schema = client.latest("lake." + table + "-value").schema();
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
