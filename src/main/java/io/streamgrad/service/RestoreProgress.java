package io.streamgrad.service;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * What Kafka Streams is restoring from changelogs right now and has restored since the start, for
 * the readiness probe, /metrics and the dashboard, and log lines at the start, every few seconds
 * and at the end of each partition's restore: a restore of large models can take long enough that
 * an operator needs to see it progress. Registered as the global restore listener before Kafka
 * Streams starts; called from its restore threads, read from HTTP threads.
 */
public final class RestoreProgress implements StateRestoreListener {
  /** One store partition being restored: records restored so far of the total to restore. */
  public record Restoring(String store, String topic, int partition, long restored, long total) {}

  /** How often a long restore logs its progress. */
  private static final long LOG_EVERY_NANOS = 5_000_000_000L;

  private static final class Progress {
    final long total;
    final long startNanos = System.nanoTime();
    volatile long restored;
    long loggedNanos = startNanos;

    Progress(long total) {
      this.total = total;
    }
  }

  private record Key(String store, TopicPartition partition) {}

  private final Map<Key, Progress> active = new ConcurrentHashMap<>();
  private final LongAdder restoredTotal = new LongAdder();
  private final LongAdder partitionsCompleted = new LongAdder();
  private final PrintStream log;

  private final long logEveryNanos;

  public RestoreProgress(PrintStream log) {
    this(log, LOG_EVERY_NANOS);
  }

  RestoreProgress(PrintStream log, long logEveryNanos) {
    this.log = log;
    this.logEveryNanos = logEveryNanos;
  }

  /** The partitions being restored now, by store, topic and partition. */
  public List<Restoring> restoring() {
    return active.entrySet().stream()
        .map(
            e ->
                new Restoring(
                    e.getKey().store(),
                    e.getKey().partition().topic(),
                    e.getKey().partition().partition(),
                    e.getValue().restored,
                    e.getValue().total))
        .sorted(
            Comparator.comparing(Restoring::store)
                .thenComparing(Restoring::topic)
                .thenComparingInt(Restoring::partition))
        .toList();
  }

  /** Records restored into this instance's stores since it started, finished restores included. */
  public long restoredTotal() {
    return restoredTotal.sum();
  }

  /** Store partitions whose restore ran to its end since this instance started. */
  public long partitionsCompleted() {
    return partitionsCompleted.sum();
  }

  @Override
  public void onRestoreStart(
      TopicPartition partition, String store, long startingOffset, long endingOffset) {
    // Offsets, not records: under exactly-once, transaction markers make this an upper bound.
    long total = Math.max(0, endingOffset - startingOffset);
    active.put(new Key(store, partition), new Progress(total));
    log.println(
        "restoring store "
            + store
            + " from "
            + partition
            + ": up to "
            + total
            + " records (offsets "
            + startingOffset
            + " to "
            + endingOffset
            + ")");
  }

  @Override
  public void onBatchRestored(
      TopicPartition partition, String store, long batchEndOffset, long numRestored) {
    Progress progress = active.get(new Key(store, partition));
    restoredTotal.add(numRestored);
    if (progress != null) {
      // One restore thread per partition writes this; readers only need a recent value.
      progress.restored += numRestored;
      long now = System.nanoTime();
      if (now - progress.loggedNanos >= logEveryNanos) {
        progress.loggedNanos = now;
        double seconds = (now - progress.startNanos) / 1e9;
        log.printf(
            "restoring store %s from %s: %d of up to %d records (%.0f records/s)%n",
            store, partition, progress.restored, progress.total, progress.restored / seconds);
      }
    }
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
    partitionsCompleted.increment();
    finish(partition, store, totalRestored, "restored");
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
    // The task moved away (a rebalance) before its restore ended: it is no longer restoring here.
    finish(partition, store, totalRestored, "suspended restoring");
  }

  private void finish(TopicPartition partition, String store, long totalRestored, String what) {
    Progress progress = active.remove(new Key(store, partition));
    double seconds = progress == null ? 0 : (System.nanoTime() - progress.startNanos) / 1e9;
    log.printf(
        "%s store %s from %s: %d records in %.1f s (%.0f records/s)%n",
        what,
        store,
        partition,
        totalRestored,
        seconds,
        seconds > 0 ? totalRestored / seconds : 0.0);
  }
}
