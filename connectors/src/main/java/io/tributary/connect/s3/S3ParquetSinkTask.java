package io.tributary.connect.s3;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/** The sink task. The Parquet writer and the S3 upload path are not built yet (issue #4). */
public final class S3ParquetSinkTask extends SinkTask {
    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new S3SinkConfig(props);
        throw new ConnectException("The Tributary S3 Parquet sink cannot write yet: its writer is not implemented (issue #4).");
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        throw new ConnectException("not started");
    }

    @Override
    public void stop() {
    }
}
