package io.tributary.connect.s3.writer;

import java.io.IOException;

/** The task-wide limits a partition writer consults: opening a file may first close another one. */
interface OpenFileBudget {
    /** Makes room for one more open file (closing the least recently written one if the cap is reached). */
    void beforeOpen() throws IOException;

    /** A task-wide sequence number of writes, for least-recently-written ordering. */
    long nextWriteSequence();
}
