package io.streamgrad.learn.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdwinTest {
  static final int LENGTH = 4000;
  static final int CHANGE = 2500;

  /** Detected within this many values of the change (the clock of 32 is part of it). */
  static final int DELAY = 100;

  private static Adwin adwin(AdwinSettings settings) {
    return (Adwin) settings.newDetector();
  }

  @Test
  void shouldDetectARiseOfTheLossWithinAHundredValues() {
    for (long seed = 1; seed <= 5; seed++) {
      double[] losses = Streams.step(seed, LENGTH, CHANGE, 0.3, 0.5, 0.1);
      List<Integer> at = Streams.detections(adwin(AdwinSettings.DEFAULT), losses);
      assertFalse(at.isEmpty(), "seed " + seed + ": no detection");
      int first = at.get(0);
      assertTrue(
          first >= CHANGE && first < CHANGE + DELAY,
          "seed " + seed + ": first detection at " + first + ", change at " + CHANGE);
      assertEquals(1, at.size(), "seed " + seed + ": one rise, one drift: " + at);
    }
  }

  @Test
  void shouldTellTwoRisesApartAsTwoDrifts() {
    double[] first = Streams.step(11, 3000, 1500, 0.3, 0.5, 0.1);
    double[] second = Streams.step(12, 1500, 0, 0.7, 0.7, 0.1);
    double[] losses = new double[4500];
    System.arraycopy(first, 0, losses, 0, 3000);
    System.arraycopy(second, 0, losses, 3000, 1500);
    List<Integer> at = Streams.detections(adwin(AdwinSettings.DEFAULT), losses);
    assertEquals(2, at.size(), "detections " + at);
    assertTrue(at.get(0) >= 1500 && at.get(0) < 1500 + DELAY, "detections " + at);
    assertTrue(at.get(1) >= 3000 && at.get(1) < 3000 + DELAY, "detections " + at);
  }

  @Test
  void shouldStayQuietOnAStationaryStreamOfTheSameLength() {
    for (long seed = 1; seed <= 5; seed++) {
      double[] losses = Streams.step(seed, LENGTH, LENGTH, 0.3, 0.3, 0.1);
      Adwin adwin = adwin(AdwinSettings.DEFAULT);
      assertEquals(List.of(), Streams.detections(adwin, losses), "seed " + seed);
      assertEquals(LENGTH, adwin.width(), "seed " + seed + ": nothing was cut either");
    }
  }

  @Test
  void shouldShrinkItsWindowButSignalNothingWhenTheLossFalls() {
    double[] losses = Streams.step(3, LENGTH, CHANGE, 0.5, 0.3, 0.1);
    Adwin adwin = adwin(AdwinSettings.DEFAULT);
    assertEquals(List.of(), Streams.detections(adwin, losses));
    assertTrue(
        adwin.width() < LENGTH - CHANGE + DELAY, "the old part was dropped: " + adwin.width());
    assertEquals(0.3, adwin.mean(), 0.02);
  }

  @Test
  void shouldComputeThePapersCutBound() {
    // n0 = n1 = 10 of a window of 20 with variance 0.25, δ = 0.002: 1/m = 0.2, δ' = δ / ln 20.
    double logTerm = Math.log(2.0 / (0.002 / Math.log(20)));
    double expected = Math.sqrt(2.0 * 0.2 * 0.25 * logTerm) + 2.0 / 3.0 * 0.2 * logTerm;
    assertEquals(expected, Adwin.cutBound(10, 10, 0.25, 20, 0.002), 1e-12);
    assertEquals(1.962, expected, 1e-3);
  }

  /**
   * With as many buckets per row as values, every split is a bucket boundary and ADWIN2 tests
   * exactly what ADWIN does: a cut iff some split has |μ0 − μ1| above the bound. A jump from 0 to 1
   * is too little evidence in 16 + 16 values (the bound at the middle is 1.39) and enough in 32 +
   * 32 (0.86).
   */
  @Test
  void shouldCutExactlyWhereSomeSplitPassesTheBound() {
    for (int half : new int[] {16, 32}) {
      double[] values = new double[2 * half];
      for (int t = half; t < values.length; t++) {
        values[t] = 1.0;
      }
      boolean expected = anySplitPasses(values, 5, 0.002);
      Adwin adwin = adwin(new AdwinSettings(0.002, values.length, values.length, 5));
      List<Integer> at = Streams.detections(adwin, values);
      assertEquals(expected ? List.of(values.length - 1) : List.of(), at, "half " + half);
    }
    assertTrue(Adwin.cutBound(16, 16, 0.25, 32, 0.002) > 1.0);
    assertTrue(Adwin.cutBound(32, 32, 0.25, 64, 0.002) < 1.0);
  }

  private static boolean anySplitPasses(double[] values, int minWindow, double delta) {
    int n = values.length;
    double mean = 0;
    for (double v : values) {
      mean += v / n;
    }
    double variance = 0;
    for (double v : values) {
      variance += (v - mean) * (v - mean) / n;
    }
    for (int n0 = minWindow; n0 <= n - minWindow; n0++) {
      double sum0 = 0;
      for (int t = 0; t < n0; t++) {
        sum0 += values[t];
      }
      double sum1 = 0;
      for (int t = n0; t < n; t++) {
        sum1 += values[t];
      }
      double inverseM = 1.0 / n0 + 1.0 / (n - n0);
      double logTerm = Math.log(2.0 * Math.log(n) / delta);
      double bound = Math.sqrt(2 * inverseM * variance * logTerm) + 2.0 / 3 * inverseM * logTerm;
      if (Math.abs(sum0 / n0 - sum1 / (n - n0)) > bound) {
        return true;
      }
    }
    return false;
  }

  @Test
  void shouldResumeBitForBitFromItsState() {
    double[] losses = Streams.step(7, LENGTH, CHANGE, 0.3, 0.6, 0.1);
    Adwin running = adwin(AdwinSettings.DEFAULT);
    Adwin resumed = adwin(AdwinSettings.DEFAULT);
    for (int t = 0; t < LENGTH; t++) {
      if (t == 1234 || t == CHANGE + 40) {
        resumed = adwin(AdwinSettings.DEFAULT);
        resumed.restore(running.state());
        assertArrayEquals(running.state(), resumed.state());
      }
      assertEquals(running.add(losses[t]), resumed.add(losses[t]), "value " + t);
      assertEquals(running.evidence(), resumed.evidence());
    }
    assertArrayEquals(running.state(), resumed.state());
  }

  @Test
  void shouldRefuseAStateThatIsNotOne() {
    Adwin adwin = adwin(AdwinSettings.DEFAULT);
    assertThrows(IllegalArgumentException.class, () -> adwin.restore(new double[] {1, 2}));
    double[] state = adwin(AdwinSettings.DEFAULT).state();
    state[5] = 2; // two rows, none given
    assertThrows(IllegalArgumentException.class, () -> adwin.restore(state));
  }

  @Test
  void shouldGiveTheEvidenceOfTheRise() {
    double[] losses = Streams.step(2, LENGTH, CHANGE, 0.3, 0.5, 0.1);
    Adwin adwin = adwin(AdwinSettings.DEFAULT);
    Streams.detections(adwin, losses);
    var evidence = adwin.evidence();
    assertEquals(
        List.of(
            "statistic",
            "threshold",
            "mean_before",
            "mean_after",
            "count_before",
            "count_after",
            "window"),
        List.copyOf(evidence.keySet()));
    assertTrue(evidence.get("statistic") > evidence.get("threshold"));
    assertEquals(0.3, evidence.get("mean_before"), 0.02);
    assertEquals(
        evidence.get("mean_after") - evidence.get("mean_before"), evidence.get("statistic"), 1e-12);
  }
}
