package io.otpgate.jdbc;

import io.otpgate.core.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of an SQLite file in this process, committing many callers' work at once.
 *
 * <p>SQLite lets one connection write at a time, and with {@code synchronous=FULL} each commit
 * costs an fsync. So request threads and the dispatcher do not write themselves: they hand their
 * work to this writer's thread and wait. The writer opens {@code BEGIN IMMEDIATE} (the file's
 * write lock, waiting up to the busy timeout for another process), runs each waiting caller's work
 * in a savepoint of its own, and commits them all with one fsync. A caller whose work failed or
 * rolled back undoes only its savepoint; the others still commit. Each caller is answered only after
 * the commit, so a reply never promises what a crash could take back. A commit that fails answers
 * every caller in the group with {@link StoreUnavailableException}, and nothing of theirs is kept.
 *
 * <p>A group closes after {@link #MAX_GROUP} callers or {@link #MAX_OPEN} of work, whichever comes
 * first, so the file's write lock is never held long enough to starve another process (the CLI
 * next to a running server) or its heartbeats.
 *
 * <p>Reads do not come here: they run on their own read-only connections, in parallel, each seeing
 * the last commit.
 */
final class GroupCommit implements Transactions, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    static final int MAX_GROUP = 64;
    static final Duration MAX_OPEN = Duration.ofMillis(50);

    private final Connection writer;
    private final Transactions readers;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    private final LongAdder commits = new LongAdder();
    private final LongAdder committedWrites = new LongAdder();
    private final AtomicLong largestGroup = new AtomicLong();

    /** Takes over {@code writer}, a connection in auto-commit mode, and closes it in {@link #close}. */
    GroupCommit(Connection writer, DataSource readers, String name) {
        this.writer = writer;
        this.readers = new PooledTransactions(readers);
        this.thread = new Thread(this::loop, "otpgate-writer-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public <T> T write(Work<T> work) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("a write from inside a write would wait for itself");
        }
        Job<T> job = new Job<>(work);
        queue.add(job);
        if (closed && queue.remove(job)) {
            throw new StoreUnavailableException("the database is closed", null);
        }
        try {
            return job.done.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    @Override
    public <T> T read(Work<T> work) {
        return readers.read(work);
    }

    /** Writes handed over and not yet taken into a group. */
    int queued() {
        return queue.size();
    }

    /** Commits so far, the writes they carried, and the largest group: how well writes combine. */
    GroupCommitStats stats() {
        return new GroupCommitStats(commits.sum(), committedWrites.sum(), largestGroup.get());
    }

    private void loop() {
        while (!closed || !queue.isEmpty()) {
            Job<?> first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // only close() ends the loop, after the queue is empty
            }
            if (first != null) {
                group(first);
            }
        }
    }

    private void group(Job<?> first) {
        try {
            execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            // The file's write lock stayed out of reach for the whole busy timeout (another process
            // holds it, or the disk failed). Every write waiting now would wait as long again, one
            // after the other: they are all answered at once instead, so a caller waits one timeout.
            // The queue is taken before anyone is answered: a caller answered first could write again
            // at once and be refused without having waited. Each caller gets an exception of its own.
            List<Job<?>> waiting = new ArrayList<>();
            waiting.add(first);
            if (StoreException.unavailable(e)) {
                queue.drainTo(waiting);
            }
            waiting.forEach(job -> job.fail(StoreException.of(e)));
            return;
        }
        long deadline = System.nanoTime() + MAX_OPEN.toNanos();
        List<Job<?>> group = new ArrayList<>();
        for (Job<?> job = first; job != null; job = next(group, deadline)) {
            group.add(job);
            if (!runInSavepoint(job)) {
                abandon(group, null);
                return;
            }
        }
        try {
            execute("COMMIT");
        } catch (SQLException e) {
            log.warn("commit of {} writes failed: {}", group.size(), e.getMessage());
            abandon(group, e);
            return;
        }
        commits.increment();
        committedWrites.add(group.size());
        largestGroup.accumulateAndGet(group.size(), Math::max);
        group.forEach(Job::answer);
    }

    private Job<?> next(List<Job<?>> group, long deadline) {
        return group.size() < MAX_GROUP && System.nanoTime() < deadline ? queue.poll() : null;
    }

    /**
     * Runs one caller's work in its own savepoint; false when the transaction itself is gone (some
     * errors, such as a full disk, make SQLite roll back the whole of it).
     */
    private boolean runInSavepoint(Job<?> job) {
        try {
            execute("SAVEPOINT caller");
        } catch (SQLException e) {
            job.fail(StoreException.of(e));
            return false;
        }
        Throwable failure = job.run(writer);
        try {
            if (failure != null) {
                execute("ROLLBACK TO caller");
            }
            execute("RELEASE caller");
            return true;
        } catch (SQLException e) {
            job.fail(StoreException.of(e));
            return false;
        }
    }

    /** Rolls back the group's transaction: no caller in it keeps anything, and each is told why. */
    private void abandon(List<Job<?>> group, SQLException cause) {
        try {
            execute("ROLLBACK");
        } catch (SQLException e) {
            // Already rolled back by SQLite itself; nothing is left open.
        }
        for (Job<?> job : group) {
            job.fail(new StoreUnavailableException(
                    "the database could not commit this change" + (cause == null ? "" : ": " + cause.getMessage()),
                    cause));
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement statement = writer.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Finishes the writes already handed over, refuses new ones, and closes the connection. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            // A clean stop leaves no WAL behind (another process still reading keeps it, harmlessly).
            execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            log.debug("checkpoint at close: {}", e.getMessage());
        }
        try {
            writer.close();
        } catch (SQLException e) {
            log.warn("closing the database's writer: {}", e.getMessage());
        }
    }

    /** One caller's work and its answer. An outcome is held until the group commits. */
    private static final class Job<T> {
        private final Work<T> work;
        private final CompletableFuture<T> done = new CompletableFuture<>();
        private T result;
        private RuntimeException error;

        Job(Work<T> work) {
            this.work = work;
        }

        /** Runs the work; its failure, if any, to undo its savepoint. */
        Throwable run(Connection c) {
            try {
                result = work.run(c);
                return null;
            } catch (RollBack rollBack) {
                result = rollBack.result();
                return rollBack;
            } catch (SQLException e) {
                error = StoreException.of(e);
                return e;
            } catch (RuntimeException e) {
                error = e;
                return e;
            } catch (Error e) {
                error = new IllegalStateException(e);
                return e;
            }
        }

        /** After the commit: the work's own outcome. */
        void answer() {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(result);
            }
        }

        void fail(RuntimeException e) {
            done.completeExceptionally(e);
        }
    }
}
