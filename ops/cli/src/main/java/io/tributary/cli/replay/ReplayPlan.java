package io.tributary.cli.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay fixed when it started, kept in S3 ({@code _tributary/replays/<id>/plan.json}) so that
 * running the same command again (after a crash, or to check) resumes with the same input and so
 * produces the same objects:
 *
 * @param id           the replay's id: a hash of the table, range, source, pipeline configuration and writer
 * @param table        the lake table
 * @param from         first hour ({@code 2026-11-01T00})
 * @param to           the hour after the last
 * @param source       archive or kafka
 * @param topic        the table's source topic
 * @param cutAt        S3's LastModified of the cut object (ISO-8601): objects uploaded before it hold only rows
 *                     from below the cut
 * @param cut          per partition of {@code topic}, the streams app's committed offset read after {@code cutAt}:
 *                     the replay reads exactly the records below it
 * @param history      per master table topic, the end offsets of the enrichment history the replay loads
 * @param lakeEnds     per partition of the table's lake topic, its end offset read after the cut: once the
 *                     live sink has committed these, every lake row from below the cut is in S3
 * @param caughtUpAt   S3's LastModified (ISO-8601) once every lake row from below the cut was in S3; null until then
 * @param finishedAt   when every hour was replaced (then the same command takes a new cut); null until then
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ReplayPlan(int format, String id, String table, String from, String to, String source, String topic,
        String cutAt, Map<Integer, Long> cut, Map<String, Map<Integer, Long>> history, Map<Integer, Long> lakeEnds,
        String caughtUpAt, String finishedAt) {
    static final int FORMAT = 1;
    /** The plan's name in the replay's folder. */
    static final String KEY = "plan.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    ReplayPlan {
        cut = cut == null ? null : new TreeMap<>(cut);
        history = history == null ? null : new TreeMap<>(history);
        lakeEnds = lakeEnds == null ? null : new TreeMap<>(lakeEnds);
    }

    ReplayPlan caughtUp(Instant at) {
        return new ReplayPlan(format, id, table, from, to, source, topic, cutAt, cut, history, lakeEnds, at.toString(), null);
    }

    ReplayPlan finished(Instant at) {
        return new ReplayPlan(format, id, table, from, to, source, topic, cutAt, cut, history, lakeEnds, caughtUpAt, at.toString());
    }

    Instant cutTime() {
        return Instant.parse(cutAt);
    }

    Instant caughtUpTime() {
        return caughtUpAt == null ? null : Instant.parse(caughtUpAt);
    }

    byte[] toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write a replay plan", e);
        }
    }

    static ReplayPlan fromJson(byte[] json) throws IOException {
        ReplayPlan plan = JSON.readValue(json, ReplayPlan.class);
        if (plan.format() > FORMAT) {
            throw new IOException("written by a newer version of tributary (plan format " + plan.format() + ")");
        }
        return plan;
    }
}
