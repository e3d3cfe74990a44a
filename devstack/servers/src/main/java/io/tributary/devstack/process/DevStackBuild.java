package io.tributary.devstack.process;

import io.tributary.devstack.StackException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * What the devstack module's Maven build produced for the servers it launches: the runtime classpath
 * of the child JVMs, the unpacked Debezium plugins and the s3proxy jar. All of it is located through
 * resources written at build time, so the stack runs from the reactor, from tests and from the CLI.
 */
public final class DevStackBuild {
    private static final String REBUILD = "Run `mvn -B -DskipTests package` in the repository root (./tributary does it for you).";

    private final Properties properties;
    private final List<Path> classpath;

    private DevStackBuild(Properties properties, List<Path> classpath) {
        this.properties = properties;
        this.classpath = classpath;
    }

    public static DevStackBuild load() {
        Properties props = new Properties();
        try (InputStream in = resource("/tributary-devstack.properties")) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String recorded;
        try (InputStream in = resource("/io/tributary/devstack/runtime.classpath")) {
            recorded = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Path> cp = new ArrayList<>();
        cp.add(ownLocation());
        Arrays.stream(recorded.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).forEach(cp::add);
        for (Path entry : cp) {
            if (!Files.exists(entry)) {
                throw new StackException("The dev stack's runtime classpath names " + entry
                        + ", which does not exist (the local Maven repository was cleaned?). " + REBUILD);
            }
        }
        return new DevStackBuild(props, List.copyOf(cp));
    }

    /** Classpath for child JVMs: this module's classes and its runtime dependencies. */
    public List<Path> classpath() {
        return classpath;
    }

    /** Only this module's own classes: enough for {@link ChildMain} in front of a self-contained jar. */
    public Path ownClasses() {
        return classpath.get(0);
    }

    public Path debeziumPluginsDir() {
        return existing(Path.of(properties.getProperty("connect.plugins.dir")), "Debezium connector plugins");
    }

    public Path s3proxyJar() {
        return existing(Path.of(properties.getProperty("s3proxy.jar")), "s3proxy server jar");
    }

    /** Prometheus' JMX exporter agent, and its rules for the Connect worker (ops/monitoring/jmx-exporter). */
    public Path jmxExporterAgent() {
        return existing(Path.of(properties.getProperty("jmx.exporter.agent")), "Prometheus JMX exporter agent");
    }

    public Path jmxExporterConnectRules() {
        return existing(Path.of(properties.getProperty("jmx.exporter.connect.rules")).normalize(), "JMX exporter rules of the Connect worker");
    }

    public String debeziumVersion() {
        return properties.getProperty("debezium.version");
    }

    private static Path existing(Path path, String what) {
        if (!Files.exists(path)) {
            throw new StackException("Missing " + what + " at " + path + ". " + REBUILD);
        }
        return path;
    }

    private static InputStream resource(String name) {
        InputStream in = DevStackBuild.class.getResourceAsStream(name);
        if (in == null) {
            throw new StackException("Resource " + name + " is missing from the devstack build. " + REBUILD);
        }
        return in;
    }

    private static Path ownLocation() {
        try {
            return Path.of(DevStackBuild.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
