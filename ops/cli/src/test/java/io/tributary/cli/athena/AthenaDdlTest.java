package io.tributary.cli.athena;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.cli.common.TributaryHome;
import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.contract.CurrentState;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.LakeTimeRange;
import io.tributary.streams.config.PipelineConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Athena DDL: golden files per lake table, the type mapping, ADD COLUMNS, and the verifier's verdicts. */
class AthenaDdlTest {
    private static final Path GOLDEN = TributaryHome.athenaDdl();
    private static final AthenaDdl DDL = new AthenaDdl("tributary", "tributary-lake", "lake", LocalDate.parse(LakeTimeRange.DEFAULT_START));

    @TempDir
    Path mirror;

    static List<String> tables() {
        return Contracts.TABLES;
    }

    /** Regenerate with {@code mvn -pl ops/cli -am test -Dtest=AthenaDdlTest -Dsurefire.failIfNoSpecifiedTests=false -Dtributary.docs.update=true}. */
    @ParameterizedTest
    @MethodSource("tables")
    void theDdlOfEveryLakeTableEqualsItsGoldenFile(String table) throws IOException {
        String ddl = DDL.createTable(table, Contracts.schema(table));
        Path golden = GOLDEN.resolve(table + ".sql");
        if (Boolean.getBoolean("tributary.docs.update")) {
            Files.writeString(golden, ddl);
        }
        assertThat(ddl).as("%s is stale; regenerate it with mvn -pl ops/cli -am test -Dtest=AthenaDdlTest "
                + "-Dsurefire.failIfNoSpecifiedTests=false -Dtributary.docs.update=true", golden).isEqualTo(Files.readString(golden));
        assertThat(ddl).contains("'storage.location.template' = '" + new LakePath("lake").projectionTemplate("tributary-lake", table) + "'")
                .contains("'projection.dt.range' = '2020-01-01,NOW'").contains("'projection.dt.interval.unit' = 'DAYS'")
                .contains("'projection.hour.digits' = '2'").doesNotContain("YEARS").doesNotContain("NOW-");
    }

    static List<String> cdcTables() {
        return CurrentState.tables();
    }

    /** The snapshot table and the current view of each CDC table are golden files too, and `athena verify` accepts the view. */
    @ParameterizedTest
    @MethodSource("cdcTables")
    void theCurrentStateDdlOfEveryCdcTableEqualsItsGoldenFiles(String table) throws IOException {
        Schema changelog = Contracts.schema(table);
        for (java.util.Map.Entry<String, String> derived : DDL.currentState(table, changelog).entrySet()) {
            Path golden = GOLDEN.resolve(derived.getKey() + ".sql");
            if (Boolean.getBoolean("tributary.docs.update")) {
                Files.writeString(golden, derived.getValue());
            }
            assertThat(derived.getValue()).as("%s is stale; regenerate it as the other golden files", golden)
                    .isEqualTo(Files.readString(golden));
        }
        String snapshot = Files.readString(GOLDEN.resolve(CurrentState.snapshotTable(table) + ".sql"));
        assertThat(snapshot).contains("PARTITIONED BY (`dt` string)\n").doesNotContain("`hour`").doesNotContain("`_op`")
                .doesNotContain("`_deleted`").contains("`_source_pos` string")
                .contains("'storage.location.template' = 's3://tributary-lake/lake/" + table + "_snapshot/dt=${dt}/'");
        String view = Files.readString(GOLDEN.resolve(CurrentState.currentView(table) + ".sql"));
        assertThat(view).startsWith("CREATE OR REPLACE VIEW \"tributary\".\"" + table + "_current\" AS\n")
                .contains("PARTITION BY \"id\" ORDER BY \"_source_pos\" DESC NULLS LAST, \"_source_ts\" DESC")
                .contains("FROM \"tributary\".\"" + table + "\"").doesNotContain("\"_op\"");
        List<TableDefinition> tables = TableDefinition.parseAll(Files.readString(GOLDEN.resolve(table + ".sql")));
        ViewDefinition parsed = ViewDefinition.parseAll(view).get(0);
        assertThat(parsed.problems(tables)).isEmpty();
        assertThat(ViewDefinition.parseAll(view.replace("\"_source_ts\", ", "")).get(0).problems(tables)).singleElement().asString()
                .contains("differs from the view generated for the columns of " + table);
        assertThat(parsed.problems(List.of())).singleElement().asString().contains("has no definition beside it");
    }

    /**
     * The projection starts where the streams app starts accepting events: one fact
     * (LakeTimeRange.DEFAULT_START) behind both defaults, and the option, or the app's own
     * environment variable, moves it for both.
     */
    @Test
    void theDtRangeStartsAtTheFirstDayThePipelineAccepts() {
        assertThat(PipelineConfig.CONFIG_DEF.defaultValues().get(PipelineConfig.EVENTS_MIN_TIME)).isEqualTo(LakeTimeRange.DEFAULT_START);
        assertThat(CliRun.of("athena", "ddl", "--bucket", "tributary-lake").out())
                .contains("'projection.dt.range' = '" + LakeTimeRange.DEFAULT_START + ",NOW'");
        assertThat(CliRun.of("athena", "ddl", "--bucket", "tributary-lake", "--dt-range-start", "2015-06-01").out())
                .contains("'projection.dt.range' = '2015-06-01,NOW'").doesNotContain(LakeTimeRange.DEFAULT_START);
        CliRun before1970 = CliRun.of("athena", "ddl", "--bucket", "tributary-lake", "--dt-range-start", "1969-12-31");
        assertThat(before1970.exitCode()).isEqualTo(2);
        assertThat(before1970.err()).contains("--dt-range-start").contains("1970-01-01 or later");
    }

    @Test
    void avroTypesMapToWhatAthenaReadsFromTheSinksParquet() {
        Schema decimal = LogicalTypes.decimal(12, 2).addToSchema(Schema.create(Schema.Type.BYTES));
        Schema address = SchemaBuilder.record("Address").fields().requiredString("country").optionalInt("zip").endRecord();
        Schema all = SchemaBuilder.record("All").fields()
                .requiredBoolean("b").requiredInt("i").requiredLong("l").requiredFloat("f").requiredDouble("d")
                .requiredString("s").requiredBytes("raw").optionalString("maybe")
                .name("amount").type(decimal).noDefault()
                .name("day").type(LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT))).noDefault()
                .name("at_ms").type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
                .name("at_us").type(LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG))).noDefault()
                .name("tags").type().array().items().stringType().noDefault()
                .name("extra").type().map().values().stringType().noDefault()
                .name("home").type(address).noDefault()
                .name("homes").type().array().items(address).noDefault()
                .endRecord();
        assertThat(AthenaDdl.columns(all)).extracting(AthenaDdl.Column::type).containsExactly(
                "boolean", "int", "bigint", "float", "double", "string", "binary", "string", "decimal(12,2)", "date",
                "timestamp", "timestamp", "array<string>", "map<string,string>", "struct<country:string,zip:int>",
                "array<struct<country:string,zip:int>>");
    }

    @Test
    void aCompatibleChangeNeedsAddColumnsForTheNewFieldsOnly() {
        Schema v1 = Contracts.schema(Contracts.TRANSACTIONS);
        Schema v2 = SchemaBuilder.record(v1.getName()).namespace(v1.getNamespace()).fields()
                .optionalString("channel").endRecord();
        List<Schema.Field> fields = new java.util.ArrayList<>();
        v1.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field("channel", v2.getField("channel").schema(), "Sales channel.", Schema.Field.NULL_DEFAULT_VALUE));
        Schema evolved = Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
        assertThat(DDL.addColumns(Contracts.TRANSACTIONS, v1, evolved)).isEqualTo(
                "ALTER TABLE `tributary`.`transactions` ADD COLUMNS (\n  `channel` string COMMENT 'Sales channel.'\n);\n");
        assertThat(DDL.addColumns(Contracts.TRANSACTIONS, v1, v1)).isNull();
    }

    @Test
    void verifyPassesOnWhatTheSinkWritesAndNamesAWrongTemplateOrType() throws Exception {
        Schema masters = Contracts.schema(Contracts.MASTERS);
        long at = Instant.parse("2025-06-01T07:30:00Z").toEpochMilli();
        String key = new LakePath("lake").file("masters", LakePath.hourOf(at), "lake.masters", 0, 0, 0);
        Path file = mirror.resolve(key);
        Files.createDirectories(file.getParent());
        try (ParquetFileWriter writer = new ParquetFileWriter(file, masters, "snappy", 1 << 20, 1 << 16)) {
            GenericData.Record row = new GenericData.Record(masters);
            row.put("id", 1L);
            row.put("code", "web");
            row.put("display_name", "ウェブサイト");
            row.put("_op", "r");
            row.put("_source_ts", at);
            row.put("_deleted", false);
            writer.write(row);
        }
        String ddl = DDL.createTable("masters", masters);
        assertThat(LakeVerifier.verify(TableDefinition.parse(ddl), "tributary-lake", mirror)).isEmpty();

        TableDefinition unpadded = TableDefinition.parse(ddl.replace("hour=${hour}", "h=${hour}"));
        assertThat(LakeVerifier.verify(unpadded, "tributary-lake", mirror)).singleElement().asString()
                .contains(key).contains("does not match storage.location.template");
        TableDefinition wrongType = TableDefinition.parse(ddl.replace("`id` bigint", "`id` int"));
        assertThat(LakeVerifier.verify(wrongType, "tributary-lake", mirror)).singleElement().asString()
                .contains("column id is declared int").contains("holds bigint");
        TableDefinition missing = TableDefinition.parse(ddl.replace("  `category` string COMMENT", "  `kategorie` string COMMENT"));
        assertThat(LakeVerifier.verify(missing, "tributary-lake", mirror)).anySatisfy(p -> assertThat(p)
                .contains("has column category that the table does not declare"));
        TableDefinition later = TableDefinition.parse(ddl.replace("'2020-01-01,NOW'", "'2025-06-02,NOW'"));
        assertThat(LakeVerifier.verify(later, "tributary-lake", mirror)).singleElement().asString()
                .contains(key).contains("has dt=2025-06-01 outside projection.dt.range 2025-06-02,NOW: Athena never reads it");
    }

    /** Rows the projection cannot show (before its start, or after today) are reported, the rest are not. */
    @Test
    void verifyReportsPartitionsOutsideTheDtRange() throws Exception {
        Schema masters = Contracts.schema(Contracts.MASTERS);
        LakePath paths = new LakePath("lake");
        long tomorrow = Instant.now().plus(java.time.Duration.ofDays(1)).toEpochMilli();
        long[] times = {Instant.parse("2019-12-31T23:00:00Z").toEpochMilli(), Instant.parse("2020-01-01T00:00:00Z").toEpochMilli(),
            0L, tomorrow};
        for (int i = 0; i < times.length; i++) {
            long at = times[i];
            Path file = mirror.resolve(paths.file("masters", LakePath.hourOf(at), "lake.masters", 0, i, i));
            Files.createDirectories(file.getParent());
            try (ParquetFileWriter writer = new ParquetFileWriter(file, masters, "snappy", 1 << 20, 1 << 16)) {
                GenericData.Record row = new GenericData.Record(masters);
                row.put("_op", "r");
                row.put("_source_ts", at);
                row.put("_deleted", false);
                writer.write(row);
            }
        }
        List<String> problems = LakeVerifier.verify(TableDefinition.parse(DDL.createTable("masters", masters)), "tributary-lake", mirror);
        String tomorrowDt = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        assertThat(problems).hasSize(3).allSatisfy(p -> assertThat(p).contains("outside projection.dt.range 2020-01-01,NOW"))
                .anySatisfy(p -> assertThat(p).contains("dt=2019-12-31")).anySatisfy(p -> assertThat(p).contains("dt=1970-01-01"))
                .anySatisfy(p -> assertThat(p).contains("dt=" + tomorrowDt));
    }
}
