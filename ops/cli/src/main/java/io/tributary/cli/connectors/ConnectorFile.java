package io.tributary.cli.connectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.cli.common.CliError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One connector config file in {@code connectors/config/}: {@code {"name": ..., "config": {...}}}, the
 * shape Connect's REST API takes. A file named {@code <x>.local.json} or {@code <x>.production.json}
 * belongs to that environment only; any other {@code .json} file to both.
 */
public record ConnectorFile(Path path, String name, Map<String, String> config) {
    public static final List<String> ENVIRONMENTS = List.of("local", "production");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SECRET_KEY = Pattern.compile(".*(password|secret|credential|token|access\\.key).*");
    private static final Pattern PROVIDED = Pattern.compile("\\$\\{(env|file):[^}]+}");

    /** The connector files of an environment in {@code dir}, in name order. */
    public static List<ConnectorFile> load(Path dir, String environment) {
        if (!ENVIRONMENTS.contains(environment)) {
            throw new CliError("Unknown environment '" + environment + "'; use one of " + ENVIRONMENTS);
        }
        if (!Files.isDirectory(dir)) {
            throw new CliError("No connector config dir " + dir + "; pass --dir with the folder of the JSON files");
        }
        List<ConnectorFile> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path path : list.sorted().toList()) {
                String file = path.getFileName().toString();
                if (!file.endsWith(".json")) {
                    continue;
                }
                String other = ENVIRONMENTS.stream().filter(e -> !e.equals(environment)).findFirst().orElseThrow();
                if (!file.endsWith("." + other + ".json")) {
                    files.add(parse(path));
                }
            }
        } catch (IOException e) {
            throw new CliError("Cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new CliError("No connector configs for environment " + environment + " in " + dir);
        }
        return files;
    }

    public static ConnectorFile parse(Path path) {
        JsonNode root;
        try {
            root = JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new CliError(path + " is not valid JSON: " + e.getMessage(), e);
        }
        String name = root.path("name").asText("");
        JsonNode config = root.path("config");
        if (name.isBlank() || !config.isObject() || config.isEmpty()) {
            throw new CliError(path + " must be {\"name\": \"...\", \"config\": {...}} as Connect's REST API takes it");
        }
        Map<String, String> values = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode()) {
                throw new CliError(path + ": the value of " + e.getKey() + " must be a string");
            }
            values.put(e.getKey(), e.getValue().asText());
        });
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (SECRET_KEY.matcher(e.getKey().toLowerCase(Locale.ROOT)).matches() && !PROVIDED.matcher(e.getValue()).matches()) {
                throw new CliError(path + ": " + e.getKey() + " holds a literal value; secrets come only through "
                        + "config providers (${env:VAR} or ${file:/path:key})");
            }
        }
        return new ConnectorFile(path, name, Map.copyOf(values));
    }

    /** The environment variables the config reads through {@code ${env:...}}. */
    /** Whether this is a Debezium source connector (CDC), not Debezium's JDBC sink. */
    public boolean isDebeziumSource() {
        String connectorClass = config.getOrDefault("connector.class", "");
        return connectorClass.startsWith("io.debezium.") && !connectorClass.endsWith("SinkConnector");
    }

    /** Whether this is an instance of Tributary's S3 Parquet sink (the lake sink or the raw archive). */
    public boolean isTributarySink() {
        return config.getOrDefault("connector.class", "").startsWith("io.tributary.connect.s3.");
    }

    public List<String> envVariables() {
        List<String> names = new ArrayList<>();
        var m = Pattern.compile("\\$\\{env:([^}:]+)}").matcher(String.join("\n", config.values()));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
