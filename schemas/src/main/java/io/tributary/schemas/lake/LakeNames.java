package io.tributary.schemas.lake;

/**
 * How the lake names things, the one place for it: lake topic {@code <prefix><table>} (default prefix
 * {@code lake.}), its registry subject {@code <topic>-value} (Confluent's TopicNameStrategy), and the
 * sink's top folder in the bucket ({@code lake}, its {@code topics.dir}). The streams app, the sink,
 * the Athena DDL and the CLI take their defaults from here.
 */
public final class LakeNames {
    public static final String DEFAULT_TOPIC_PREFIX = "lake.";
    public static final String DEFAULT_TOPICS_DIR = "lake";

    private LakeNames() {
    }

    public static String topic(String prefix, String table) {
        return prefix + table;
    }

    /** The value subject of a topic in the schema registry. */
    public static String subject(String topic) {
        return topic + "-value";
    }

    /** The value subject of a table's lake topic. */
    public static String subject(String prefix, String table) {
        return subject(topic(prefix, table));
    }
}
