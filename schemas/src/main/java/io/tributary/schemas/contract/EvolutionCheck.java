package io.tributary.schemas.contract;

import io.tributary.schemas.registry.CompatibilityLevel;
import io.tributary.schemas.registry.SchemaCompatibilityChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;

/**
 * Build-time guard of the contracts: every {@code <table>.avsc} must be BACKWARD compatible with
 * each released version kept in {@code released/<table>/v<N>.avsc} (the registry's default rule, so
 * a change that passes here registers in production), and every field must carry a doc string short
 * enough for an Athena column comment.
 * Run by the schemas module's build; a violation fails the build with a message naming the table,
 * the field and the rule.
 *
 * <p>Usage: {@code EvolutionCheck AVRO_DIR}
 */
public final class EvolutionCheck {
    /** Glue's limit on a column comment; longer ones make CREATE TABLE fail in Athena. */
    static final int MAX_COLUMN_COMMENT = 255;

    private EvolutionCheck() {
    }

    public static void main(String[] args) throws IOException {
        List<String> problems = check(Path.of(args[0]));
        if (!problems.isEmpty()) {
            // Thrown, not System.exit: the check runs inside Maven's JVM (exec:java), which reports it.
            throw new IllegalStateException("Avro contract check failed:\n  - " + String.join("\n  - ", problems)
                    + "\nMake the change compatible (e.g. add new fields as [\"null\", T] with \"default\": null), "
                    + "or release a new table instead of changing this one.");
        }
        System.out.println("Avro contracts are compatible with their released versions.");
    }

    /** Problems of every contract in {@code avroDir}; empty when all are fine. */
    public static List<String> check(Path avroDir) throws IOException {
        List<String> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(avroDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
                String table = file.getFileName().toString().replace(".avsc", "");
                problems.addAll(check(table, parse(file), released(avroDir.resolve("released").resolve(table))));
            }
        }
        return problems;
    }

    static List<String> check(String table, Schema current, List<Schema> released) {
        List<String> problems = new ArrayList<>();
        for (Schema.Field f : current.getFields()) {
            if (f.doc() == null || f.doc().isBlank()) {
                problems.add(table + ": field '" + f.name() + "' has no doc string");
            } else if (f.doc().length() > MAX_COLUMN_COMMENT) {
                problems.add(table + ": the doc string of field '" + f.name() + "' has " + f.doc().length()
                        + " characters; Athena's DDL uses it as the column comment, which the Glue catalog limits to "
                        + MAX_COLUMN_COMMENT);
            }
        }
        if (released.isEmpty()) {
            problems.add(table + ": no released version under released/" + table + "/ (copy the first version there as v1.avsc)");
        }
        for (int i = 0; i < released.size(); i++) {
            for (String p : SchemaCompatibilityChecker.incompatibilities(CompatibilityLevel.BACKWARD, current, List.of(released.get(i)))) {
                problems.add(table + ": breaks rule BACKWARD against released v" + (i + 1) + ": " + p);
            }
        }
        return problems;
    }

    private static List<Schema> released(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Schema> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().replaceAll("\\D", ""))))
                    .toList()) {
                out.add(parse(f));
            }
            return out;
        }
    }

    private static Schema parse(Path file) throws IOException {
        return new Schema.Parser().parse(file.toFile());
    }
}
