package io.tributary.cli.athena.usage;

import java.io.PrintWriter;

/**
 * The progress line on stderr: pages and queries fetched so far. On a terminal it is rewritten in
 * place after every call; otherwise (a log, a pipe) only its final state is printed, once.
 */
final class Progress {
    private final PrintWriter err;
    private final boolean live;
    private int workgroups;
    private int listPages;
    private int batches;
    private int queries;
    private int inWindow;
    private int trailPages;
    private int events;

    Progress(PrintWriter err, boolean live) {
        this.err = err;
        this.live = live;
    }

    void workgroups(int n) {
        workgroups = n;
        show();
    }

    void listPage() {
        listPages++;
        show();
    }

    void batch(int described, int inTheWindow) {
        batches++;
        queries += described;
        inWindow += inTheWindow;
        show();
    }

    void trailPage(int eventsOnPage) {
        trailPages++;
        events += eventsOnPage;
        show();
    }

    /** Ends the line. */
    void done() {
        err.println((live ? "\r" : "") + line());
        err.flush();
    }

    String line() {
        return "fetched: " + workgroups + " workgroups, " + listPages + " ListQueryExecutions pages, " + batches
                + " BatchGetQueryExecution calls (" + queries + " queries, " + inWindow + " in the window), " + trailPages
                + " LookupEvents pages (" + events + " events)";
    }

    private void show() {
        if (live) {
            err.print("\r" + line());
            err.flush();
        }
    }
}
