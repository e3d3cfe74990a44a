package io.tributary.devstack.s3;

import static io.tributary.devstack.Errors.rootMessage;

import io.tributary.devstack.Health;
import io.tributary.devstack.StackConfig;
import io.tributary.devstack.StackException;
import io.tributary.devstack.process.DevStackBuild;
import io.tributary.devstack.process.JavaProcess;
import io.tributary.devstack.process.ProcessComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * An S3 API server: s3proxy with its filesystem backend under {@code <data-dir>/s3}, path-style,
 * AWS signature v2/v4 with fixed local credentials. s3proxy's fat jar carries its own Jetty and
 * Jackson, so it runs on its own classpath; only {@code ChildMain} comes from ours.
 */
public final class S3Server extends ProcessComponent {
    public static final String NAME = "s3";

    public S3Server(StackConfig config, DevStackBuild build) {
        super(NAME, List.of(), config, build);
    }

    @Override
    public Map<String, Integer> ports() {
        return Map.of("S3 API", config.s3Port());
    }

    @Override
    public void preflight() {
        build.s3proxyJar();
    }

    private Path baseDir() {
        return config.dataDir().resolve("s3");
    }

    @Override
    protected JavaProcess launch() {
        Path props = config.confDir().resolve("s3proxy.properties");
        try {
            Files.createDirectories(baseDir());
            Files.createDirectories(config.confDir());
            Files.writeString(props, String.join("\n",
                    "s3proxy.endpoint=" + config.s3Endpoint(),
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + StackConfig.S3_ACCESS_KEY,
                    "s3proxy.credential=" + StackConfig.S3_SECRET_KEY,
                    // Some clients (Trino's, for one) send headers s3proxy would otherwise answer with 501.
                    "s3proxy.ignore-unknown-headers=true",
                    "jclouds.provider=filesystem",
                    "jclouds.filesystem.basedir=" + baseDir(),
                    ""));
        } catch (IOException e) {
            throw new StackException("Cannot write the S3 server's configuration under " + config.dataDir() + ": " + e.getMessage(), e);
        }
        return JavaProcess.start(NAME, List.of(build.s3proxyJar(), build.ownClasses()), List.of("-Xmx384m"),
                "org.gaul.s3proxy.Main", List.of("--properties", props.toString()), Map.of(), logFile());
    }

    /** Creates the stack's bucket on first start. */
    @Override
    protected void afterReady() {
        try (S3Client s3 = LocalS3.client(config)) {
            ensureBucket(s3, config.bucket());
        }
    }

    /** Creates the bucket unless it exists. */
    public static void ensureBucket(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    @Override
    public Health health() {
        try (S3Client s3 = LocalS3.client(config)) {
            int buckets = s3.listBuckets().buckets().size();
            return Health.up(config.s3Endpoint() + " serves " + buckets + " bucket(s)");
        } catch (RuntimeException e) {
            return Health.down("cannot reach " + config.s3Endpoint() + ": " + rootMessage(e));
        }
    }
}
