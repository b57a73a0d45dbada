package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The pending ledger's release order: by deadline, then arrival, whatever order entries come in.
 */
class DeadlineIndexTest {
  private static PendingEntry entry(long deadline, long sequence) {
    return PendingEntry.marker(PendingEntry.LABELLED, sequence, deadline, 0);
  }

  /** Takes the first entry out, as the ledger does when it releases one; null when none. */
  private static PendingEntry pollFirst(DeadlineIndex index) {
    DeadlineIndex.Slot first = index.first();
    if (first == null) {
      return null;
    }
    PendingEntry entry = first.entry;
    index.remove(entry);
    return entry;
  }

  @Test
  void shouldReleaseByDeadlineThenArrivalWhenDeadlinesComeOutOfOrder() {
    DeadlineIndex index = new DeadlineIndex();
    PendingEntry late = entry(30, 0);
    PendingEntry early = entry(10, 1);
    PendingEntry tie = entry(30, 2);
    index.add(new byte[0], late);
    index.add(new byte[0], early);
    index.add(new byte[0], tie);
    assertSame(early, pollFirst(index));
    assertSame(late, pollFirst(index));
    assertSame(tie, pollFirst(index));
    assertNull(pollFirst(index));
  }

  @Test
  void shouldSkipRemovedEntries() {
    DeadlineIndex index = new DeadlineIndex();
    PendingEntry first = entry(10, 0);
    PendingEntry second = entry(20, 1);
    index.add(new byte[0], first);
    index.add(new byte[0], second);
    index.remove(first);
    assertEquals(1, index.size());
    assertSame(second, index.first().entry);
  }

  /** Many interleaved rising sequences (more than the lanes), removals and polls, as a tree. */
  @Test
  void shouldKeepTheOrderOfASortedTreeUnderAnyMixOfAddsRemovesAndPolls() {
    SplittableRandom random = new SplittableRandom(7);
    DeadlineIndex index = new DeadlineIndex();
    TreeMap<long[], PendingEntry> tree =
        new TreeMap<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    List<PendingEntry> held = new ArrayList<>();
    long[] clocks = new long[7];
    long sequence = 0;
    for (int step = 0; step < 20_000; step++) {
      int action = random.nextInt(10);
      if (action < 6) {
        int clock = random.nextInt(clocks.length);
        clocks[clock] += random.nextInt(5);
        PendingEntry entry = entry(clocks[clock] + 100 * clock, sequence++);
        index.add(new byte[0], entry);
        tree.put(new long[] {entry.deadline(), entry.sequence()}, entry);
        held.add(entry);
      } else if (action < 8 && !held.isEmpty()) {
        PendingEntry entry = held.remove(random.nextInt(held.size()));
        index.remove(entry);
        tree.remove(new long[] {entry.deadline(), entry.sequence()});
      } else if (!tree.isEmpty()) {
        PendingEntry expected = tree.pollFirstEntry().getValue();
        held.remove(expected);
        assertSame(expected, pollFirst(index));
      }
      assertEquals(tree.size(), index.size());
    }
  }
}
