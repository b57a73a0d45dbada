package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** An entry made in memory encodes to the bytes that read back to the same entry. */
class PendingEntryTest {
  private static final Served SERVED =
      new Served(
          new double[] {0.1, -0.0, Double.MIN_VALUE},
          new double[] {0.25, 0.75},
          new double[] {-1.5, 1.5},
          1,
          42,
          3,
          0.5,
          1_000);

  @Test
  void shouldReadBackAServedSampleFromItsBytesWithEveryBit() {
    PendingEntry made = PendingEntry.served(7, 2_000, SERVED);
    byte[] bytes = made.bytes();
    assertEquals(made.size(), bytes.length);
    PendingEntry read = PendingEntry.read(bytes);
    assertEquals(PendingEntry.SERVED, read.kind());
    assertEquals(7, read.sequence());
    assertEquals(2_000, read.deadline());
    assertEquals(1_000, read.time());
    Served back = read.served();
    assertEquals(SERVED.decision(), back.decision());
    assertEquals(SERVED.step(), back.step());
    assertEquals(SERVED.version(), back.version());
    assertEquals(SERVED.weight(), back.weight());
    assertEquals(SERVED.time(), back.time());
    assertArrayEquals(SERVED.input(), read.served().input());
    assertArrayEquals(SERVED.outputs(), read.served().outputs());
    assertArrayEquals(SERVED.logits(), read.served().logits());
    assertArrayEquals(bytes, read.bytes());
  }

  @Test
  void shouldReadBackAWaitingLabelAndItsRecordFromItsBytes() {
    byte[] record = {9, 8, 7};
    PendingLabels.Origin origin =
        new PendingLabels.Origin() {
          @Override
          public int size() {
            return record.length;
          }

          @Override
          public byte[] bytes() {
            return record.clone();
          }
        };
    Label label = new Label("s-1", new double[] {2, 3}, 123);
    PendingEntry made = PendingEntry.early(4, 5_000, 900, label, origin);
    byte[] bytes = made.bytes();
    assertEquals(made.size(), bytes.length);
    PendingEntry read = PendingEntry.read(bytes);
    assertEquals(PendingEntry.EARLY, read.kind());
    assertEquals(900, read.time());
    assertArrayEquals(label.value(), read.label("s-1").value());
    assertEquals(123, read.label("s-1").eventTime());
    assertArrayEquals(record, read.origin());
  }
}
