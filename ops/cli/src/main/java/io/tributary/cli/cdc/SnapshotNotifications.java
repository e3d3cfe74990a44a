package io.tributary.cli.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.cli.common.CliError;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Debezium's notifications about one incremental snapshot, read from the topic its sink channel
 * writes them to ({@code notification.enabled.channels=sink}, {@code notification.sink.topic.name}).
 * Debezium names every notification of a snapshot by the id of the signal that asked for it and
 * sends, in order: STARTED, IN_PROGRESS per chunk (the last key read and the table's maximum key),
 * TABLE_SCAN_COMPLETED per table (rows read, status), COMPLETED; or ABORTED. The topic's end is noted
 * before the signal is sent ({@link #open}), so only notifications from then on are read.
 */
final class SnapshotNotifications implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String AGGREGATE_TYPE = "Incremental Snapshot";

    /** How a snapshot ended: the rows Debezium read per table and the status it gave each table scan. */
    record Outcome(long rowsRead, Map<String, String> tableStatus) {
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;

    private SnapshotNotifications(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        this.consumer = consumer;
        this.topic = topic;
    }

    /** Starts reading {@code topic} at its end now (from its beginning if Debezium has not created it yet). */
    static SnapshotNotifications open(Map<String, Object> kafka, String topic) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put("enable.auto.commit", "false");
        props.put("auto.offset.reset", "earliest");
        props.put("allow.auto.create.topics", "false"); // Debezium creates it, with the connector's topic settings
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        SnapshotNotifications notifications = new SnapshotNotifications(consumer, topic);
        List<TopicPartition> partitions = notifications.partitions();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the end now, before the signal
        return notifications;
    }

    private List<TopicPartition> partitions() {
        return consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    /**
     * Reads notifications until the snapshot {@code id} is COMPLETED; {@code progress} gets one line per
     * notification. Fails on ABORTED, and when {@code timeout} passes first.
     */
    Outcome await(String id, Duration timeout, Consumer<String> progress) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long rows = 0;
        Map<String, String> status = new java.util.LinkedHashMap<>();
        String last = "no notification yet";
        while (System.nanoTime() < deadline) {
            if (consumer.assignment().isEmpty()) { // the first notification creates the topic
                List<TopicPartition> partitions = partitions();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                if (partitions.isEmpty()) {
                    sleep();
                    continue;
                }
            }
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                JsonNode n = payload(record.value());
                if (n == null || !id.equals(n.path("id").asText()) || !AGGREGATE_TYPE.equals(n.path("aggregate_type").asText())) {
                    continue;
                }
                JsonNode data = n.path("additional_data");
                String type = n.path("type").asText();
                switch (type) {
                    case "IN_PROGRESS" -> last = "reading " + data.path("current_collection_in_progress").asText()
                            + ": up to key " + data.path("last_processed_key").asText() + " of " + data.path("maximum_key").asText();
                    case "TABLE_SCAN_COMPLETED" -> {
                        rows += data.path("total_rows_scanned").asLong();
                        status.put(data.path("scanned_collection").asText(), data.path("status").asText());
                        last = "read " + data.path("scanned_collection").asText() + ": " + data.path("total_rows_scanned").asText()
                                + " rows (" + data.path("status").asText() + ")";
                    }
                    case "ABORTED" -> throw new CliError("Debezium aborted the incremental snapshot " + id + " (a stop-snapshot "
                            + "signal, or the connector's configuration changed); run the command again");
                    case "COMPLETED" -> {
                        return new Outcome(rows, status);
                    }
                    default -> last = type.toLowerCase(java.util.Locale.ROOT);
                }
                progress.accept(last);
            }
        }
        throw new CliError("The incremental snapshot " + id + " did not complete within " + timeout + " (last notification: "
                + last + "). Debezium goes on with it: watch " + topic + ", or wait longer with --wait; "
                + "if nothing came at all, check that the connector reads the signal table (table.include.list)");
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError("Interrupted while waiting for Debezium's notifications");
        }
    }

    /** The notification in a record value: JsonConverter's payload with schemas enabled, or the value itself. */
    private static JsonNode payload(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            JsonNode root = JSON.readTree(value);
            return root.has("schema") && root.has("payload") ? root.get("payload") : root;
        } catch (IOException e) {
            return null; // not a notification
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
