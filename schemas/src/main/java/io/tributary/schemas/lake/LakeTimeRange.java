package io.tributary.schemas.lake;

/**
 * The first day the lake holds by default, in one place for the two parts that must agree on it:
 * the streams app dead-letters events before it ({@code events.min.time}), and the Athena tables'
 * partition projection starts there ({@code projection.dt.range}). An event the pipeline accepts
 * is then always in a partition Athena can see; one the projection could never show is refused
 * with a message instead of written where no query finds it.
 */
public final class LakeTimeRange {
    /** The default first day (UTC, yyyy-MM-dd) of every lake table's dt partitions. */
    public static final String DEFAULT_START = "2020-01-01";

    private LakeTimeRange() {
    }
}
