package io.streamgrad.learn.drift;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PageHinkleyTest {
  static final int LENGTH = 4000;
  static final int CHANGE = 2500;

  /** λ = 10: a rise of 0.2 per value passes it in about 60 values (the mean follows slowly). */
  static final PageHinkleySettings SETTINGS = new PageHinkleySettings(30, 0.005, 10.0, 1 - 1e-4);

  static final int DELAY = 100;

  @Test
  void shouldDetectARiseOfTheLossWithinAHundredValues() {
    for (long seed = 1; seed <= 5; seed++) {
      double[] losses = Streams.step(seed, LENGTH, CHANGE, 0.3, 0.5, 0.1);
      List<Integer> at = Streams.detections(SETTINGS.newDetector(), losses);
      assertTrue(!at.isEmpty(), "seed " + seed + ": no detection");
      assertTrue(
          at.get(0) >= CHANGE && at.get(0) < CHANGE + DELAY,
          "seed " + seed + ": first detection at " + at.get(0) + ", change at " + CHANGE);
    }
  }

  @Test
  void shouldDetectALargeRiseWithMoasDefaults() {
    double[] losses = Streams.step(9, LENGTH, CHANGE, 0.3, 1.5, 0.1);
    List<Integer> at = Streams.detections(PageHinkleySettings.DEFAULT.newDetector(), losses);
    assertTrue(
        !at.isEmpty() && at.get(0) >= CHANGE && at.get(0) < CHANGE + DELAY, "detections " + at);
  }

  @Test
  void shouldStayQuietOnAStationaryStreamOfTheSameLength() {
    for (long seed = 1; seed <= 5; seed++) {
      double[] losses = Streams.step(seed, LENGTH, LENGTH, 0.3, 0.3, 0.1);
      assertEquals(List.of(), Streams.detections(SETTINGS.newDetector(), losses), "seed " + seed);
    }
  }

  @Test
  void shouldFollowTheCumulativeSumByHand() {
    PageHinkley ph = new PageHinkley(new PageHinkleySettings(1, 0.1, 1.0, 1.0));
    // x = 0: mean 0, m = -0.1, M = -0.1, PH = 0. x = 2: mean 1, m = -0.1 + (2 - 1 - 0.1) = 0.8,
    // PH = 0.9 <= 1. x = 2: mean 4/3, m = 0.8 + (2 - 4/3 - 0.1) = 1.3667, PH = 1.4667 > 1.
    assertEquals(false, ph.add(0.0));
    assertEquals(false, ph.add(2.0));
    assertEquals(0.9, ph.statistic(), 1e-12);
    assertEquals(true, ph.add(2.0));
    assertEquals(1.4 + 2.0 / 30, ph.evidence().get("statistic"), 1e-12);
    assertEquals(0.0, ph.statistic(), "the test starts over after a detection");
  }

  @Test
  void shouldResumeBitForBitFromItsState() {
    double[] losses = Streams.step(4, LENGTH, CHANGE, 0.3, 0.6, 0.1);
    DriftDetector running = SETTINGS.newDetector();
    DriftDetector resumed = SETTINGS.newDetector();
    for (int t = 0; t < LENGTH; t++) {
      if (t == 777 || t == CHANGE + 10) {
        resumed = SETTINGS.newDetector();
        resumed.restore(running.state());
      }
      assertEquals(running.add(losses[t]), resumed.add(losses[t]), "value " + t);
    }
    assertArrayEquals(running.state(), resumed.state());
  }
}
