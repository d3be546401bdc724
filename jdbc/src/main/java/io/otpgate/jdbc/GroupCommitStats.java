package io.otpgate.jdbc;

/**
 * How the embedded store's writes combined: {@code commits} transactions (one fsync each) carried
 * {@code writes} callers' work, at most {@code largestGroup} at once.
 */
public record GroupCommitStats(long commits, long writes, long largestGroup) {

    /** Writes per commit on average; 1 when nothing was committed yet. */
    public double meanGroup() {
        return commits == 0 ? 1 : (double) writes / commits;
    }
}
