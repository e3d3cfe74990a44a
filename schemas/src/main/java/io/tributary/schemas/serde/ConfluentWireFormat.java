package io.tributary.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro
 * binary encoding of the value. Bytes written here read with Confluent's deserializer and back.
 */
public final class ConfluentWireFormat {
    public static final byte MAGIC = 0;
    public static final int HEADER_BYTES = 5;

    private ConfluentWireFormat() {
    }

    /** The schema id of a Confluent-framed value; the buffer is left at the start of the Avro body. */
    public static int readSchemaId(ByteBuffer buffer) {
        if (buffer.remaining() < HEADER_BYTES) {
            throw new SerializationException("Not Confluent wire format: " + buffer.remaining()
                    + " bytes, fewer than the 5-byte header (magic byte 0 + schema id)");
        }
        byte magic = buffer.get();
        if (magic != MAGIC) {
            throw new SerializationException("Not Confluent wire format: magic byte is " + magic + ", expected 0");
        }
        return buffer.getInt();
    }
}
