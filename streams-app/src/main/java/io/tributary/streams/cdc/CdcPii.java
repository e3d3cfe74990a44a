package io.tributary.streams.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.tributary.schemas.contract.Contracts;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.events.ValueCoercion;
import io.tributary.streams.pii.KeyedHash;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PII policy of the CDC tables: {@code cdc.pii.drop} and {@code cdc.pii.hash} name columns as
 * {@code table.column} (or {@code *.column} for every table), matched by name whenever the column
 * appears, so a column added to the source table later is covered from its first change on.
 * Dropped columns become null; hashed ones their {@link KeyedHash}. It applies to each lake row and
 * to the master attributes that enrichment copies into events, so a value protected here is
 * protected on every path. A hashed column must be a string: for a contract column that is checked
 * at start; a column added later with another type cannot hold a hash and is dropped instead,
 * logged once.
 */
public final class CdcPii {
    private static final Logger LOG = LoggerFactory.getLogger(CdcPii.class);
    private static final String ANY_TABLE = "*";

    private enum Action { DROP, HASH }

    /** Where the policy acts in rows of one lake schema (a schema changes rarely, so it is resolved once per schema). */
    private record Positions(int[] dropped, int[] hashed) {
    }

    private final Map<String, Action> rules = new HashMap<>();
    private final KeyedHash keyedHash;
    private final Map<Schema, Positions> positions = new ConcurrentHashMap<>();
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public CdcPii(List<String> drop, List<String> hash, KeyedHash keyedHash, Collection<String> cdcTables) {
        this.keyedHash = keyedHash;
        add(PipelineConfig.CDC_PII_DROP, drop, Action.DROP, cdcTables);
        add(PipelineConfig.CDC_PII_HASH, hash, Action.HASH, cdcTables);
        for (String table : cdcTables) {
            if (Contracts.TABLES.contains(table)) {
                checkContract(table, Contracts.schema(table));
            }
        }
    }

    private void add(String key, List<String> entries, Action action, Collection<String> cdcTables) {
        for (String entry : entries) {
            int dot = entry.indexOf('.');
            if (dot <= 0 || dot == entry.length() - 1) {
                throw new ConfigException(key, entry, "expected table.column or *.column");
            }
            String table = entry.substring(0, dot);
            if (!table.equals(ANY_TABLE) && !cdcTables.contains(table)) {
                throw new ConfigException(key, entry, "table " + table + " is not one of the CDC tables " + cdcTables
                        + " (" + PipelineConfig.CDC_TOPICS + ")");
            }
            if (rules.put(rule(table, LakeSchemaEvolution.lakeName(entry.substring(dot + 1))), action) != null) {
                throw new ConfigException(key, entry, "named in both " + PipelineConfig.CDC_PII_DROP + " and "
                        + PipelineConfig.CDC_PII_HASH);
            }
        }
    }

    private void checkContract(String table, Schema contract) {
        for (Schema.Field f : contract.getFields()) {
            Action action = action(table, f.name());
            if (action == Action.DROP && !f.schema().isNullable()) {
                throw new ConfigException(PipelineConfig.CDC_PII_DROP, table + "." + f.name(), "a required column cannot be null");
            }
            if (action == Action.HASH && ValueCoercion.nonNull(f.schema()).getType() != Schema.Type.STRING) {
                throw new ConfigException(PipelineConfig.CDC_PII_HASH, table + "." + f.name(), "the column is "
                        + ValueCoercion.nonNull(f.schema()) + "; only string columns can hold a hash (drop it instead)");
            }
        }
    }

    private static String rule(String table, String column) {
        return table + '\u0000' + column;
    }

    private Action action(String table, String lakeColumn) {
        Action action = rules.get(rule(table, lakeColumn));
        return action != null ? action : rules.get(rule(ANY_TABLE, lakeColumn));
    }

    /** Drops and hashes the configured columns of a lake row of {@code table}, in place; returns the row. */
    public GenericRecord apply(String table, GenericRecord row) {
        if (rules.isEmpty()) {
            return row;
        }
        Positions at = positions.computeIfAbsent(row.getSchema(), schema -> resolve(table, schema));
        for (int pos : at.dropped()) {
            row.put(pos, null);
        }
        for (int pos : at.hashed()) {
            Object value = row.get(pos);
            if (value != null) {
                row.put(pos, keyedHash.hex(value.toString()));
            }
        }
        return row;
    }

    private Positions resolve(String table, Schema schema) {
        List<Schema.Field> dropped = new java.util.ArrayList<>();
        List<Schema.Field> hashed = new java.util.ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            Action action = action(table, f.name());
            if (action == Action.HASH && ValueCoercion.nonNull(f.schema()).getType() != Schema.Type.STRING) {
                if (warned.add(table + "." + f.name())) {
                    LOG.warn("{}.{} is in {} but is a {} column, which cannot hold a hash: it is dropped (null) instead",
                            table, f.name(), PipelineConfig.CDC_PII_HASH, ValueCoercion.nonNull(f.schema()).getType());
                }
                action = Action.DROP;
            }
            if (action == Action.DROP) {
                dropped.add(f);
            } else if (action == Action.HASH) {
                hashed.add(f);
            }
        }
        return new Positions(dropped.stream().mapToInt(Schema.Field::pos).toArray(), hashed.stream().mapToInt(Schema.Field::pos).toArray());
    }

    /** A master column's value as enrichment may copy it: null when dropped (or hashed but not a string), its hash when hashed. */
    public JsonNode master(String table, String column, JsonNode value) {
        Action action = rules.isEmpty() || value.isNull() ? null : action(table, LakeSchemaEvolution.lakeName(column));
        if (action == null) {
            return value;
        }
        return action == Action.HASH && value.isTextual() ? TextNode.valueOf(keyedHash.hex(value.textValue())) : NullNode.getInstance();
    }
}
