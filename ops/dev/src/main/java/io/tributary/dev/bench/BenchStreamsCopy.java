package io.tributary.dev.bench;

import io.tributary.streams.TributaryStreamsApp;
import io.tributary.streams.config.PipelineConfig;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The ceiling side of `tributary bench streams`, run in its own JVM: a Kafka Streams app that copies
 * the events topic's bytes to a topic, with the Kafka Streams settings the pipeline's events app
 * runs with (guarantee, commit interval, state dir, every {@code streams.*} override, the events
 * app's defaults), read from the same pipeline properties file, under its own application id,
 * until the JVM is stopped.
 *
 * <p>Usage: {@code BenchStreamsCopy PIPELINE_PROPERTIES OUTPUT_TOPIC}
 */
public final class BenchStreamsCopy {
    private BenchStreamsCopy() {
    }

    public static void main(String[] args) throws Exception {
        PipelineConfig config = PipelineConfig.load(Path.of(args[0]), System.getenv());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(config.eventsTopic(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(args[1], Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties props = new Properties();
        props.putAll(TributaryStreamsApp.ONE_INPUT_PER_TASK);
        props.putAll(config.streamsProperties());
        // Its own consumer group: under the pipeline's it would leave the pipeline nothing to read.
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(PipelineConfig.APPLICATION_ID) + "-copy");
        KafkaStreams copy = new KafkaStreams(builder.build(), props);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            copy.close();
            stopped.countDown();
        }, "bench-streams-copy-stop"));
        copy.start();
        stopped.await();
    }
}
