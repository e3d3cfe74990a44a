package io.tributary.lake.swap;

import io.tributary.schemas.lake.PartitionFolder;
import java.time.Duration;

/**
 * What happened to one folder.
 *
 * @param recovered what happened to an earlier, interrupted replacement found in the journal (or NONE)
 * @param overlap   how long readers could see old and new objects together (from the first publish
 *                  to the end of the delete); zero when nothing was published
 */
public record SwapResult(PartitionFolder folder, Outcome outcome, Recovery recovered, int replaced, int added, long addedBytes,
                         Duration overlap) {
    public enum Outcome {
        /** Objects were replaced. */
        SWAPPED,
        /** Nothing to replace (the state may have changed). */
        UNCHANGED,
        /** Another live process holds the folder's lease; nothing was done. */
        BUSY
    }

    public enum Recovery { NONE, ROLLED_FORWARD, ROLLED_BACK, CLEANED_UP }

    static SwapResult busy(PartitionFolder folder) {
        return new SwapResult(folder, Outcome.BUSY, Recovery.NONE, 0, 0, 0, Duration.ZERO);
    }
}
