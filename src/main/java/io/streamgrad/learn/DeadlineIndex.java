package io.streamgrad.learn;

import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * The pending ledger's entries in the order they leave it: by deadline, then by arrival sequence
 * (the order replay shares with the stream).
 *
 * <p>Why not a sorted tree: deadlines mostly come in order (a model's wait is constant, and a
 * partition's record times rise), so an entry almost always goes at the end. Entries are kept in a
 * few lanes, each an {@link ArrayDeque} in order: a new entry goes at the end of the lane whose
 * last entry is the latest not after it (the samples' and the labels' deadlines, read from two
 * partitions, each rise on their own and so take a lane each); one that fits no lane goes to a
 * heap. The first entry is the least of the lanes' and the heap's heads. An entry leaves the middle
 * of a lane by being marked removed (its slot forgets it), and its slot is dropped when it comes to
 * the head: a slot is a few bytes, held no longer than the entry's own deadline.
 */
final class DeadlineIndex {
  private static final int LANES = 4;

  /** An entry's place in the order; entry null once it left. */
  static final class Slot {
    final long deadline;
    final long sequence;
    final byte[] key;
    PendingEntry entry;

    Slot(long deadline, long sequence, byte[] key, PendingEntry entry) {
      this.deadline = deadline;
      this.sequence = sequence;
      this.key = key;
      this.entry = entry;
    }

    boolean before(Slot other) {
      return deadline != other.deadline ? deadline < other.deadline : sequence < other.sequence;
    }
  }

  @SuppressWarnings("unchecked")
  private final ArrayDeque<Slot>[] lanes = new ArrayDeque[LANES];

  private final PriorityQueue<Slot> heap =
      new PriorityQueue<>((a, b) -> a.before(b) ? -1 : b.before(a) ? 1 : 0);

  private int size;

  DeadlineIndex() {
    for (int i = 0; i < LANES; i++) {
      lanes[i] = new ArrayDeque<>();
    }
  }

  /** Entries held. */
  int size() {
    return size;
  }

  /** Indexes entry under key (entries may come in any order). */
  void add(byte[] key, PendingEntry entry) {
    Slot slot = new Slot(entry.deadline(), entry.sequence(), key, entry);
    entry.slot = slot;
    size++;
    ArrayDeque<Slot> best = null;
    ArrayDeque<Slot> empty = null;
    for (ArrayDeque<Slot> lane : lanes) {
      Slot last = lane.peekLast();
      if (last == null) {
        if (empty == null) {
          empty = lane;
        }
      } else if (!slot.before(last) && (best == null || best.peekLast().before(last))) {
        best = lane;
      }
    }
    if (best == null) {
      best = empty;
    }
    if (best != null) {
      best.addLast(slot);
    } else {
      heap.add(slot);
    }
  }

  /** Takes entry out of the order (it was matched, replaced or deleted). */
  void remove(PendingEntry entry) {
    Slot slot = entry.slot;
    if (slot != null && slot.entry == entry) {
      slot.entry = null;
      entry.slot = null;
      size--;
    }
  }

  /** The first entry's slot, or null when there is none. */
  Slot first() {
    Slot first = null;
    for (ArrayDeque<Slot> lane : lanes) {
      Slot head = head(lane);
      if (head != null && (first == null || head.before(first))) {
        first = head;
      }
    }
    Slot head = heap.peek();
    while (head != null && head.entry == null) {
      heap.poll();
      head = heap.peek();
    }
    if (head != null && (first == null || head.before(first))) {
      first = head;
    }
    return first;
  }

  private static Slot head(ArrayDeque<Slot> lane) {
    Slot head = lane.peekFirst();
    while (head != null && head.entry == null) {
      lane.pollFirst();
      head = lane.peekFirst();
    }
    return head;
  }
}
