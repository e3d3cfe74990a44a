package io.tributary.cli.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cli.CliRun;
import io.tributary.cli.common.TributaryHome;
import io.tributary.devstack.StackConfig;
import io.tributary.lake.marker.Owner;
import io.tributary.lake.marker.PartitionMarker;
import io.tributary.lake.parquet.ParquetFileWriter;
import io.tributary.lake.store.S3Storage;
import io.tributary.lake.store.WriteCondition;
import io.tributary.schemas.contract.Contracts;
import io.tributary.schemas.lake.LakePath.HourPartition;
import io.tributary.schemas.lake.LakePath;
import io.tributary.schemas.lake.PartitionFolder;
import io.tributary.testing.DevStack;
import io.tributary.testing.DevStackExtension;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * `tributary compact` against the local stack's real S3 server: six closed hours of app_events in
 * sink-named files (three partitions, four flushes each), one file of the last hour still named by
 * its sink marker. Five hours become one object each (the sixth two: its merged final files and the
 * pending one), DuckDB (`tributary query`) reads every event
 * once and in its hour, lake_partitions and the _SUCCESS markers say which hours are complete; a
 * late file reopens an hour and the next pass folds it in; a pass with nothing new changes nothing;
 * `athena verify` accepts the compacted tables.
 */
@ExtendWith(DevStackExtension.class)
class CompactionIT {
    private static final String TOPIC = "lake.app_events";
    private static final Schema SCHEMA = Contracts.schema(Contracts.APP_EVENTS);
    private static final LakePath PATHS = new LakePath("lake");

    @TempDir
    Path work;

    private long nextOffset;

    private void upload(S3Storage store, HourPartition hour, int partition, int rows) throws Exception {
        long start = nextOffset;
        long end = start + rows - 1;
        nextOffset = end + 1;
        Path file = work.resolve("f-" + start + ".parquet");
        try (ParquetFileWriter writer = new ParquetFileWriter(file, SCHEMA, "snappy", 1 << 20, 64 << 10)) {
            for (long offset = start; offset <= end; offset++) {
                GenericData.Record row = new GenericData.Record(SCHEMA);
                // The event id carries the hour it belongs to, so the read-back can check "in its hour".
                row.put("event_id", hour.dt() + "T" + hour.hour() + "-" + partition + "-" + offset);
                row.put("event_time", hour.startMillis() + offset % 3_600_000L);
                row.put("extra", Map.of());
                row.put("_enrichment", "none");
                writer.write(row);
            }
        }
        store.upload(file, PATHS.file(Contracts.APP_EVENTS, hour, TOPIC, partition, start, end), Map.of(), WriteCondition.ABSENT);
    }

    private static List<String> keys(DevStack stack, String prefix) {
        return stack.s3().listObjectsV2Paginator(b -> b.bucket(stack.config().bucket()).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private static String[] args(List<String> lake, String... command) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(lake);
        return all.toArray(String[]::new);
    }

    @Test
    void closedHoursBecomeOneObjectEachEveryEventOnceAndCompleteHoursAreRecorded(DevStack stack) throws Exception {
        System.setProperty("aws.accessKeyId", StackConfig.S3_ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", StackConfig.S3_SECRET_KEY);
        List<String> lake = List.of("--bucket", stack.config().bucket(), "--s3-endpoint", stack.config().s3Endpoint(),
                "--region", StackConfig.S3_REGION, "--work-dir", work.toString());
        Instant thisHour = Instant.now().truncatedTo(ChronoUnit.HOURS);
        List<HourPartition> hours = new ArrayList<>();
        for (int back = 7; back >= 2; back--) {
            hours.add(LakePath.hourOf(thisHour.minus(back, ChronoUnit.HOURS).toEpochMilli()));
        }
        HourPartition last = hours.get(hours.size() - 1);
        // Not closed: closing it would close the stack's S3 client, which the other tests of this JVM share.
        S3Storage store = new S3Storage(stack.s3(), stack.config().bucket(), 16 << 20, "", "");
        try {
            for (HourPartition hour : hours) {
                for (int flush = 0; flush < 4; flush++) {
                    for (int partition = 0; partition < 3; partition++) {
                        upload(store, hour, partition, 5);
                    }
                }
            }
            // The sink of partition 2 has not committed past its last file of the last hour: it may write it again.
            String pending = PATHS.file(Contracts.APP_EVENTS, last, TOPIC, 2, nextOffset - 5, nextOffset - 1);
            store.put(PATHS.markerKey(TOPIC, 2), PartitionMarker.of(new Owner("lake-sink", "topic-id"), 1, "w", nextOffset - 5,
                    List.of(new PartitionMarker.FileEntry(pending, last.dt(), last.hour(), nextOffset - 5, nextOffset - 1))).toJson(),
                    WriteCondition.NONE);

            long started = System.nanoTime();
            CliRun compact = CliRun.of(args(lake, "compact", "--lateness", "1m", "--horizon", "12h", "--tables", "app_events"));
            assertThat(compact.exitCode()).as(compact.err()).isZero();
            assertThat(compact.out()).contains("compact: 6 closed hour(s) with objects, 6 compacted (71 objects -> 6, ");
            System.out.printf("first pass: %d ms%n", (System.nanoTime() - started) / 1_000_000);
            for (HourPartition hour : hours) {
                List<String> objects = keys(stack, PATHS.folder(Contracts.APP_EVENTS, hour));
                if (hour.equals(last)) {
                    // Its final files are merged; the one the sink may write again stays as it is.
                    assertThat(objects).as("the hour with a pending file").hasSize(2).contains(pending);
                    assertThat(keys(stack, PATHS.successKey(PartitionFolder.hourly(Contracts.APP_EVENTS, hour)))).isEmpty();
                } else {
                    assertThat(objects).singleElement().asString().matches(".*/c-[0-9a-f]{32}\\.parquet");
                    assertThat(keys(stack, PATHS.successKey(PartitionFolder.hourly(Contracts.APP_EVENTS, hour)))).hasSize(1);
                }
            }
            assertThat(keys(stack, "lake/app_events/")).noneMatch(k -> k.substring(k.lastIndexOf('/') + 1).startsWith("_"));

            CliRun events = CliRun.of(args(lake, "query", "--csv", "SELECT count(*) AS n, count(DISTINCT event_id) AS ids, "
                    + "count(*) FILTER (WHERE event_id NOT LIKE dt || 'T' || hour || '-%') AS misplaced FROM app_events"));
            assertThat(events.out().lines()).as(events.err()).containsExactly("n,ids,misplaced", "360,360,0");
            CliRun partitions = CliRun.of(args(lake, "query", "--csv", "SELECT count(*) AS hours, sum(rows) AS rows, "
                    + "max(files) AS files, bool_or(reopened) AS reopened FROM lake_partitions WHERE table_name = 'app_events'"));
            assertThat(partitions.out().lines()).as(partitions.err()).containsExactly("hours,rows,files,reopened", "5,300,1,false");

            // A late event for the first hour: the next pass folds it into that hour's object.
            upload(store, hours.get(0), 0, 2);
            CliRun again = CliRun.of(args(lake, "compact", "--lateness", "1m", "--horizon", "12h", "--tables", "app_events"));
            assertThat(again.out()).contains("1 compacted (2 objects -> 1, ");
            assertThat(keys(stack, PATHS.folder(Contracts.APP_EVENTS, hours.get(0)))).hasSize(1);
            CliRun after = CliRun.of(args(lake, "query", "--csv", "SELECT (SELECT count(DISTINCT event_id) FROM app_events) AS ids, "
                    + "(SELECT count(*) FROM app_events) AS n, (SELECT sum(rows) FROM lake_partitions) AS complete_rows"));
            assertThat(after.out().lines()).as(after.err()).containsExactly("ids,n,complete_rows", "362,362,302");

            List<String> before = keys(stack, "lake/app_events/");
            CliRun idle = CliRun.of(args(lake, "compact", "--lateness", "1m", "--horizon", "12h", "--tables", "app_events"));
            assertThat(idle.out()).contains(" 0 compacted ");
            assertThat(keys(stack, "lake/app_events/")).isEqualTo(before);

            CliRun verify = CliRun.of(args(lake, "athena", "verify", "--ddl-dir", TributaryHome.athenaDdl().toString(),
                    "app_events", "lake_partitions"));
            assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        } finally {
            List<String> written = new ArrayList<>(keys(stack, "lake/app_events/"));
            written.addAll(keys(stack, "lake/lake_partitions/"));
            written.addAll(keys(stack, "lake/_tributary/"));
            // Other tests of this JVM share the bucket; leave it as they expect it.
            written.forEach(key -> stack.s3().deleteObject(b -> b.bucket(stack.config().bucket()).key(key)));
        }
    }
}
