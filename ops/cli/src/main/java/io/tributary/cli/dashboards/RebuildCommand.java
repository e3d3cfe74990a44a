package io.tributary.cli.dashboards;

import io.tributary.cli.aws.AwsOptions;
import io.tributary.cli.common.CliError;
import io.tributary.cli.common.KafkaClients;
import io.tributary.cli.common.PipelineSettings;
import io.tributary.cli.common.SettingDefaults;
import io.tributary.cli.compact.DerivedViews;
import io.tributary.cli.lake.LakeOptions;
import io.tributary.cli.lake.LocalLake;
import io.tributary.cli.lake.WorkDir;
import io.tributary.streams.config.Aggregate;
import io.tributary.streams.config.DashboardSettings;
import io.tributary.streams.config.LakeTopics;
import io.tributary.streams.config.PipelineConfig;
import io.tributary.streams.dashboards.AggregateChecks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `tributary dashboards rebuild`: recomputes the dashboard buckets of a time range from the lake and
 * writes them to the aggregate topics, from which the JDBC sink upserts PostgreSQL ({@link DashboardRebuild}).
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Recompute the dashboard buckets of a time range from the lake (events counted once per event id, "
                + "CDC tables by their current rows) and write them as the streams app does, deleting rows the lake no longer "
                + "has. For ranges older than the grace period (late events the live app dropped, a replayed range); buckets "
                + "still open in the streams app are refused. Running it again changes nothing.",
                "Exit code: 0 rebuilt (or nothing to change), 1 refused."})
public final class RebuildCommand implements Callable<Integer> {
    @Option(names = "--from", required = true, paramLabel = "TIME",
            description = "Start, UTC: 2026-11-01, 2026-11-01T00 or any ISO-8601 time; buckets holding it are rebuilt whole.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "TIME", description = "End (exclusive), as --from.")
    String to;

    @Option(names = "--aggregate", paramLabel = "NAME", description = "Only this aggregate (default: all).")
    String aggregate;

    @Mixin
    PipelineSettings pipelineSettings;

    @Mixin
    LakeOptions lake;

    @Mixin
    WorkDir workDir;

    @Mixin
    AwsOptions aws;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long start = time(from, "--from");
        long end = time(to, "--to");
        if (end <= start) {
            throw new CliError("--to " + to + " must be after --from " + from);
        }
        PipelineConfig pipeline = pipelineSettings.load(SettingDefaults.of(spec), Map.of());
        DashboardSettings dashboards = resolved(pipeline);
        long now = System.currentTimeMillis();
        List<Aggregate> chosen = DashboardRebuild.aggregates(dashboards, Optional.ofNullable(aggregate), Optional.empty());
        if (chosen.isEmpty()) {
            out.println("no aggregates in the pipeline's configuration (" + DashboardSettings.AGGREGATES + "): nothing to rebuild");
            return 0;
        }
        chosen.forEach(a -> DashboardRebuild.buckets(a, start, end, now)); // refuse before reading or writing anything
        try (S3Client s3 = lake.s3(aws);
             LocalLake copy = LocalLake.open(s3, lake.bucket(), lake.prefix(), workDir.dir("lake-mirror"));
             AggregateTopics topics = new AggregateTopics(KafkaClients.properties(pipeline))) {
            DashboardRebuild rebuild = new DashboardRebuild(dashboards, copy.connection(), topics);
            for (Aggregate a : chosen) {
                out.println("rebuilt " + rebuild.rebuild(a, start, end, now));
                out.flush();
            }
            return 0;
        }
    }

    /**
     * The dashboards part of {@link DerivedViews} for a replay: the buckets of the aggregates over the
     * replayed table, rebuilt from the lake (copied to {@code mirror} only when some of them are closed).
     */
    public static DerivedViews.DashboardRefresh refresher(S3Client s3, LakeOptions lake, Path mirror, PipelineConfig pipeline) {
        return (table, from, to) -> {
            DashboardSettings dashboards = resolved(pipeline);
            long now = System.currentTimeMillis();
            if (dashboards.over(table).stream().noneMatch(a -> a.idColumn() == null || from < DashboardRebuild.openFrom(a, now))) {
                // Nothing closed to rebuild: no copy of the lake; refresh only says what is still open.
                return new DashboardRebuild(dashboards, null, null).refresh(table, from, to, now);
            }
            try (LocalLake copy = LocalLake.open(s3, lake.bucket(), lake.prefix(), mirror);
                 AggregateTopics topics = new AggregateTopics(KafkaClients.properties(pipeline))) {
                return new DashboardRebuild(dashboards, copy.connection(), topics).refresh(table, from, to, now);
            }
        };
    }

    /** The dashboards as the streams app runs them: checked against the contracts, defaults applied. */
    public static DashboardSettings resolved(PipelineConfig pipeline) {
        try {
            return AggregateChecks.resolve(pipeline.dashboards(), LakeTopics.of(pipeline));
        } catch (ConfigException e) {
            throw new CliError("the pipeline configuration's dashboards are not valid: " + e.getMessage());
        }
    }

    /** A UTC time: a date, an hour (2026-11-01T00), or ISO-8601 with or without offset. */
    static long time(String text, String flag) {
        String t = text.trim();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            if (t.length() == 13) {
                return LocalDateTime.parse(t + ":00").toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(t).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new CliError(flag + " " + text + " is not a time: write e.g. 2026-11-01, 2026-11-01T00 or 2026-11-01T00:00:00Z (UTC)");
        }
    }
}
