package io.tributary.schemas.serde;

import io.tributary.schemas.registry.SchemaRegistryClient;
import io.tributary.schemas.registry.SchemaRegistryClients;
import io.tributary.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/** Reads Confluent-wire-format Avro with the writer's schema, resolved by id. Thread-safe. */
public final class AvroDeserializer implements Deserializer<GenericRecord> {
    private final Map<Integer, GenericDatumReader<GenericRecord>> readers = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;

    public AvroDeserializer() {
    }

    public AvroDeserializer(Map<String, ?> configs) {
        configure(configs, false);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig.from(configs); // validates the URL with the serde's own message
        this.registry = SchemaRegistryClients.forConfig(configs);
    }

    @Override
    public GenericRecord deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int id = ConfluentWireFormat.readSchemaId(buffer);
        try {
            GenericDatumReader<GenericRecord> reader = readers.computeIfAbsent(id,
                    i -> new GenericDatumReader<>(registry.schemaById(i)));
            return reader.read(null, DecoderFactory.get().binaryDecoder(data, buffer.position(), buffer.remaining(), null));
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot resolve schema id " + id + " of a record in " + topic + ": "
                    + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot read the Avro body of a record in " + topic + " (schema id "
                    + id + "): " + e.getMessage(), e);
        }
    }
}
