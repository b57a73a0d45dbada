package io.streamgrad.stream;

import io.streamgrad.learn.Label;
import io.streamgrad.learn.PendingLabels;
import io.streamgrad.learn.Served;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * The heap a task's pending store takes per entry, beside the bytes its bound counts ({@code
 * label.pending.max.bytes}): n samples of 64 inputs and 10 outputs served and kept, then n more
 * served and labelled (each leaves its marker for the wait), in the stream's store, flushed every
 * 1000 as commits would. Heap after full collections, before and after. Run (after {@code
 * ops/jmh.sh -l}, which builds the classpath): {@code java -cp
 * "target/test-classes:target/classes:$(cat target/jmh-classpath.txt)"
 * io.streamgrad.stream.PendingHeapMeasurement 1000000}.
 */
public final class PendingHeapMeasurement {
  private static final long DAY_MS = 86_400_000L;

  private PendingHeapMeasurement() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    measure(n, false);
    measure(n, true);
  }

  private static void measure(int n, boolean labelled) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long before = heapAfterCollections(memory);
    PendingStore store = new PendingStore("pending");
    PendingLabels ledger =
        new PendingLabels(store, Long.MAX_VALUE, (what, model, id, served, origin) -> {});
    for (int s = 0; s < n; s++) {
      long time = 2L * s;
      ledger.advance(time);
      String id = "sample-" + s;
      Served served =
          new Served(new double[64], new double[10], new double[10], 3, s, 1, 1.0, time);
      ledger.serve("model-1", id, served, DAY_MS);
      if (labelled) {
        ledger.label(
            "model-1", new Label(id, new double[] {1}, 0), time + 1, DAY_MS, 1, () -> new byte[0]);
      }
      if (s % 1000 == 0) {
        store.flush((key, value) -> {});
      }
    }
    store.flush((key, value) -> {});
    long after = heapAfterCollections(memory);
    System.out.printf(
        Locale.ROOT,
        "%,d %s: %.0f bytes of heap each, %.0f bytes each counted by label.pending.max.bytes"
            + " (%.1f times)%n",
        n,
        labelled ? "labelled samples' markers" : "pending samples (64 inputs, 10 outputs)",
        (after - before) / (double) n,
        ledger.bytes() / (double) n,
        (after - before) / (double) ledger.bytes());
    if (ledger.entries() != n) {
      throw new IllegalStateException(ledger.entries() + " entries held, not " + n);
    }
  }

  private static long heapAfterCollections(MemoryMXBean memory) {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
