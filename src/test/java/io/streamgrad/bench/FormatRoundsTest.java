package io.streamgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FormatRoundsTest {
  @Test
  void shouldTakeTheMiddleRoundOfAnOddCountWhateverTheOrder() {
    assertEquals(0.81, FormatRounds.median(new double[] {0.90, 0.62, 0.81, 0.79, 0.85}));
  }

  @Test
  void shouldTakeTheMeanOfTheTwoMiddleRoundsOfAnEvenCount() {
    assertEquals(0.8, FormatRounds.median(new double[] {0.9, 0.7, 0.6, 1.0}), 1e-15);
  }
}
