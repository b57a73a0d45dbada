package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ledger's per-model counts, whichever way an entry leaves. */
class PendingLabelsTest {
  /** A model id that UTF-8 cannot hold (a lone surrogate): its key reads back as "m?". */
  private static final String UNENCODABLE = "m\uD800";

  private final List<PendingLabels.Release> released = new ArrayList<>();

  private static Served served(long time) {
    return new Served(
        new double[] {1}, new double[] {0.5}, new double[] {0.5}, null, 1, 1, 1.0, time);
  }

  private PendingLabels ledger(long maxBytes) {
    return new PendingLabels(
        PendingLabels.inMemory(),
        maxBytes,
        (what, model, sampleId, served, origin) -> released.add(what));
  }

  @Test
  void shouldUncountAnExpiredSampleOfAModelWhoseIdUtf8CannotHold() {
    PendingLabels ledger = ledger(Long.MAX_VALUE);
    ledger.serve(UNENCODABLE, "s-1", served(0), 10);
    assertEquals(1, ledger.pending());
    ledger.advance(100);
    assertEquals(0, ledger.pending());
    assertEquals(List.of(PendingLabels.Release.SAMPLE_EXPIRED), released);
  }

  @Test
  void shouldUncountASampleDroppedForTheBoundOfAModelWhoseIdUtf8CannotHold() {
    PendingLabels ledger = ledger(1);
    ledger.serve(UNENCODABLE, "s-1", served(0), 10);
    assertEquals(0, ledger.pending());
    assertEquals(List.of(PendingLabels.Release.SAMPLE_DROPPED), released);
  }

  @Test
  void shouldUncountALabelledSampleOfAModelWhoseIdUtf8CannotHold() {
    PendingLabels ledger = ledger(Long.MAX_VALUE);
    ledger.serve(UNENCODABLE, "s-1", served(0), 10);
    PendingLabels.Lookup found =
        ledger.label(UNENCODABLE, new Label("s-1", new double[] {1}, 0), 5, 10, 1, () -> null);
    assertNotNull(found.served());
    assertEquals(0, ledger.pending());
    assertEquals(0, ledger.pending(UNENCODABLE));
  }
}
