package io.otpgate.core.verification;

import io.otpgate.core.verification.VerificationStore.LimitedStart;
import io.otpgate.core.verification.VerificationStore.StartOutcome;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit for concurrent starts: single starts that arrive while a start transaction is in
 * flight wait, and the next one writes them all in one {@link VerificationStore#startAll}
 * transaction, as the batch endpoint does. Each caller returns only after the transaction that
 * holds its verification has committed, so "started" still means "durably stored with its email".
 *
 * <p>Why: a start is a handful of cheap statements and one commit, and on the embedded database
 * the commits queue on one writer (BENCHMARKS.md). With 64 concurrent requests, one commit per
 * request is the cost to share. The store judges each start alone inside the transaction (its own
 * savepoint, its own limits, in arrival order), so the outcomes are those of the same starts run
 * one after the other.
 *
 * <p>One transaction at a time per process: the next group forms while one commits. If a combined
 * transaction fails, nothing of it was stored, and each of its callers runs its own start alone,
 * so one bad row cannot fail its neighbours.
 */
final class StartCombiner {

  /** Starts per combined transaction: the batch endpoint's chunk. */
  private final int max;
  private final VerificationStore store;
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private boolean writing;

  StartCombiner(VerificationStore store, int max) {
    this.store = store;
    this.max = max;
  }

  /** {@link VerificationStore#startAll}, sharing the transaction with concurrent single starts. */
  List<StartOutcome> startAll(List<LimitedStart> starts, Instant now) {
    if (starts.size() != 1) {
      return store.startAll(starts, now); // already one transaction for many
    }
    Waiter self = new Waiter(starts.get(0), now);
    boolean interrupted = false;
    try {
      synchronized (this) {
        queue.add(self);
      }
      while (true) {
        List<Waiter> group;
        synchronized (this) {
          while (writing && !self.done) {
            try {
              wait();
            } catch (InterruptedException e) {
              // Queued is as good as written: keep waiting for the outcome, so that an exception
              // never hides a verification that was stored.
              interrupted = true;
            }
          }
          if (self.done) {
            return self.result();
          }
          writing = true;
          group = new ArrayList<>(Math.min(max, queue.size()));
          while (!queue.isEmpty() && group.size() < max) {
            group.add(queue.poll());
          }
        }
        // The group is the head of the queue: it holds this caller unless more than max were
        // waiting ahead of it, and then this caller leads the next group too.
        try {
          write(group);
        } finally {
          synchronized (this) {
            writing = false;
            for (Waiter w : group) {
              w.done = true;
            }
            notifyAll();
          }
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void write(List<Waiter> group) {
    List<LimitedStart> starts = new ArrayList<>(group.size());
    Instant now = group.get(0).now;
    for (Waiter w : group) {
      starts.add(w.start);
      now = w.now.isAfter(now) ? w.now : now;
    }
    try {
      List<StartOutcome> outcomes = store.startAll(starts, now);
      for (int i = 0; i < group.size(); i++) {
        group.get(i).outcome = outcomes.get(i);
      }
    } catch (RuntimeException e) {
      for (Waiter w : group) {
        w.failure = e;
        w.alone = group.size() == 1;
      }
    }
  }

  private final class Waiter {
    final LimitedStart start;
    final Instant now;
    boolean done;
    StartOutcome outcome;
    RuntimeException failure;
    boolean alone;

    Waiter(LimitedStart start, Instant now) {
      this.start = start;
      this.now = now;
    }

    /** The outcome; after a failed combined transaction, the outcome of this start run alone. */
    List<StartOutcome> result() {
      if (failure == null) {
        return List.of(outcome);
      }
      if (alone) {
        throw failure;
      }
      return store.startAll(List.of(start), now);
    }
  }
}
