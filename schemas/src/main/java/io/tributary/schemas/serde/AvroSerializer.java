package io.tributary.schemas.serde;

import io.tributary.schemas.registry.SchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in Confluent's wire format, registering (or looking up) the record's schema
 * under the topic's subject. Produces the same bytes as Confluent's KafkaAvroSerializer with its
 * defaults: logical types are written in their Avro representation (decimal as bytes, timestamps
 * as longs). Thread-safe.
 */
public final class AvroSerializer implements Serializer<GenericRecord> {
    private static final ThreadLocal<Output> OUTPUT = ThreadLocal.withInitial(Output::new);
    private final Map<Schema, DatumWriter<IndexedRecord>> writers = new ConcurrentHashMap<>();
    /** The last topic and schema written, resolved: a sink writes one schema to one topic almost always. */
    private volatile Resolved last;
    private SchemaRegistryClient registry;
    private AvroSerdeConfig config;
    private boolean isKey;

    public AvroSerializer() {
    }

    /** A configured serializer; for code that does not go through Kafka's {@code configure}. */
    public AvroSerializer(Map<String, ?> configs, boolean isKey) {
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs);
        this.registry = SchemaRegistryClients.forConfig(configs);
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, GenericRecord record) {
        if (record == null) {
            return null;
        }
        Schema schema = record.getSchema();
        Resolved resolved = last;
        if (resolved == null || resolved.schema != schema || !resolved.topic.equals(topic)) {
            resolved = resolve(topic, schema);
            last = resolved;
        }
        Output out = OUTPUT.get();
        out.reset();
        out.write(ConfluentWireFormat.MAGIC);
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write(resolved.id >>> shift);
        }
        try {
            out.encoder = EncoderFactory.get().directBinaryEncoder(out, out.encoder);
            resolved.writer.write(record, out.encoder);
            out.encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot write a " + schema.getFullName() + " record for topic " + topic
                    + ": " + e.getMessage(), e);
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > Output.KEPT_BYTES) {
            OUTPUT.remove(); // do not hold on to the buffer of an unusually large record
        }
        return bytes;
    }

    /** The schema id under the topic's subject (registering it if so configured) and the writer of the schema. */
    private Resolved resolve(String topic, Schema schema) {
        String subject = AvroSerdeConfig.subject(topic, isKey);
        int id;
        try {
            id = config.autoRegister() ? registry.register(subject, schema) : registry.lookupId(subject, schema);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot " + (config.autoRegister() ? "register" : "find") + " the schema "
                    + schema.getFullName() + " under subject " + subject + ": " + e.getMessage(), e);
        }
        return new Resolved(topic, schema, id, writers.computeIfAbsent(schema, s -> CompiledDatumWriter.of(s, GenericData.get())));
    }

    private record Resolved(String topic, Schema schema, int id, DatumWriter<IndexedRecord> writer) {
    }

    /** A thread's output buffer and encoder, reused from record to record. */
    private static final class Output extends ByteArrayOutputStream {
        static final int KEPT_BYTES = 1 << 20;
        BinaryEncoder encoder;

        Output() {
            super(1024);
        }
    }
}
