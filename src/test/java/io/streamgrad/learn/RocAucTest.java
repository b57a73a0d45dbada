package io.streamgrad.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RocAucTest {
  @Test
  void shouldBeOneWhenEveryPositiveScoresAboveEveryNegative() {
    assertEquals(1.0, RocAuc.of(new double[] {0.8, 0.9}, 2, new double[] {0.1, 0.2, 0.3}, 3));
  }

  @Test
  void shouldBeZeroWhenEveryPositiveScoresBelow() {
    assertEquals(0.0, RocAuc.of(new double[] {0.1}, 1, new double[] {0.5, 0.6}, 2));
  }

  @Test
  void shouldCountEachTieAsHalfAPair() {
    assertEquals(0.5, RocAuc.of(new double[] {0.5, 0.5}, 2, new double[] {0.5, 0.5, 0.5}, 3));
    // positive 0.5 against negatives 0.5 (tie), 0.4 (win), 0.7 (loss): 1.5 of 3
    assertEquals(0.5, RocAuc.of(new double[] {0.5}, 1, new double[] {0.5, 0.4, 0.7}, 3));
  }

  @Test
  void shouldTieMinusZeroWithZero() {
    assertEquals(0.5, RocAuc.of(new double[] {0.0}, 1, new double[] {-0.0}, 1));
  }

  @Test
  void shouldUseOnlyTheFirstValuesOfEachArray() {
    assertEquals(1.0, RocAuc.of(new double[] {0.9, -5}, 1, new double[] {0.1, 7}, 1));
  }

  @Test
  void shouldBeUndefinedWithoutBothClasses() {
    assertTrue(Double.isNaN(RocAuc.of(new double[] {0.9}, 1, new double[0], 0)));
    assertTrue(Double.isNaN(RocAuc.of(new double[0], 0, new double[] {0.1}, 1)));
  }
}
