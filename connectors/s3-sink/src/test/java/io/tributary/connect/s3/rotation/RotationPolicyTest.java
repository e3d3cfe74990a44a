package io.tributary.connect.s3.rotation;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class RotationPolicyTest {
    private static final Schema V1 = SchemaBuilder.record("T").fields().requiredLong("id").endRecord();
    private static final Schema V2 = SchemaBuilder.record("T").fields().requiredLong("id").optionalString("note").endRecord();
    private final RotationPolicy policy = new RotationPolicy(3, 1_000, 60_000, 10_000);

    private static OpenFileStats file(long records, long bytes) {
        return new OpenFileStats(V1, records, bytes, 1_000_000, 5_000);
    }

    @Test
    void rotatesOnRecordCountAndSizeAfterAppending() {
        assertThat(policy.afterAppend(file(2, 999))).isNull();
        assertThat(policy.afterAppend(file(3, 10))).isEqualTo(RotationReason.RECORD_COUNT);
        assertThat(policy.afterAppend(file(1, 1_000))).isEqualTo(RotationReason.FILE_SIZE);
    }

    @Test
    void rotatesBeforeARecordWithAnotherSchemaOrPastTheRecordTimeInterval() {
        assertThat(policy.beforeAppend(file(1, 10), V1, 1_059_999)).isNull();
        assertThat(policy.beforeAppend(file(1, 10), V2, 1_000_001)).isEqualTo(RotationReason.SCHEMA_CHANGE);
        assertThat(policy.beforeAppend(file(1, 10), V1, 1_060_000)).isEqualTo(RotationReason.RECORD_TIME_INTERVAL);
        assertThat(policy.beforeAppend(file(1, 10), V1, 900_000)).as("late records do not rotate by record time").isNull();
    }

    @Test
    void scheduledFlushUsesTheWallClockOnlyWhenEnabled() {
        assertThat(policy.onTick(file(1, 10), 14_999)).isNull();
        assertThat(policy.onTick(file(1, 10), 15_000)).isEqualTo(RotationReason.SCHEDULED_FLUSH);
        RotationPolicy noSchedule = new RotationPolicy(3, 1_000, -1, -1);
        assertThat(noSchedule.onTick(file(1, 10), Long.MAX_VALUE)).isNull();
        assertThat(noSchedule.beforeAppend(file(1, 10), V1, Long.MAX_VALUE)).isNull();
    }
}
