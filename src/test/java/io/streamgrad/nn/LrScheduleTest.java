package io.streamgrad.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each schedule's rate at chosen steps, worked out by hand from PyTorch's definitions. */
class LrScheduleTest {

  @Test
  void shouldMultiplyByGammaEveryStepSizeSteps() {
    LrSchedule step = new LrSchedule.Step(3, 0.5);
    assertEquals(1.0, step.rate(1.0, 0));
    assertEquals(1.0, step.rate(1.0, 2));
    assertEquals(0.5, step.rate(1.0, 3));
    assertEquals(0.25, step.rate(1.0, 8));
  }

  @Test
  void shouldDecayExponentially() {
    LrSchedule exponential = new LrSchedule.Exponential(0.9);
    assertEquals(0.1, exponential.rate(0.1, 0));
    assertEquals(0.1 * 0.729, exponential.rate(0.1, 3), 1e-17);
  }

  @Test
  void shouldFollowACosineAndRestartAtTheBaseRate() {
    LrSchedule.CosineWarmRestarts cosine = new LrSchedule.CosineWarmRestarts(4, 1, 0.0);
    assertEquals(1.0, cosine.rate(1.0, 0));
    assertEquals(0.5, cosine.rate(1.0, 2), 1e-15); // (1 + cos(π/2)) / 2
    assertEquals((1 + Math.cos(Math.PI * 3 / 4)) / 2, cosine.rate(1.0, 3), 1e-15);
    assertEquals(1.0, cosine.rate(1.0, 4));
    assertTrue(cosine.restartsAt(4));
    assertTrue(cosine.restartsAt(8));
    assertFalse(cosine.restartsAt(0));
    assertFalse(cosine.restartsAt(5));
  }

  @Test
  void shouldLengthenEachCycleByTMult() {
    // cycles of 2, 6, 18 steps: restarts at 2, 8, 26
    LrSchedule.CosineWarmRestarts cosine = new LrSchedule.CosineWarmRestarts(2, 3, 0.1);
    assertTrue(cosine.restartsAt(2));
    assertTrue(cosine.restartsAt(8));
    assertTrue(cosine.restartsAt(26));
    assertFalse(cosine.restartsAt(14));
    // step 11 is position 3 of the cycle of 18
    assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * 3 / 18)) / 2, cosine.rate(1.0, 11), 1e-15);
    assertTrue(cosine.rate(1.0, Long.MAX_VALUE) >= 0.1, "no overflow of the cycle length");
  }

  @Test
  void shouldWarmUpLinearlyToTheBaseRate() {
    LrSchedule warmup = new LrSchedule.LinearWarmup(0.25, 3);
    assertEquals(0.25, warmup.rate(1.0, 0));
    assertEquals(0.5, warmup.rate(1.0, 1));
    assertEquals(1.0, warmup.rate(1.0, 3));
    assertEquals(1.0, warmup.rate(1.0, 1000));
  }

  @Test
  void shouldDecayAsInverseTime() {
    LrSchedule inverse = new LrSchedule.InverseTime(0.5, 2.0);
    assertEquals(1.0, inverse.rate(1.0, 0));
    assertEquals(1.0 / 9.0, inverse.rate(1.0, 4), 1e-16); // 1 / (1 + 0.5·4)²
  }

  @Test
  void shouldRejectSettingsThatMakeNoSenseNamingTheField() {
    assertEquals(
        "lr_schedule.gamma must lie in (0, 1], got 1.5",
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule.Exponential(1.5))
            .getMessage());
    assertEquals(
        "lr_schedule.step_size must be >= 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule.Step(0, 0.1))
            .getMessage());
    assertEquals(
        "lr_schedule.t_mult must be >= 1, got 0",
        assertThrows(
                IllegalArgumentException.class, () -> new LrSchedule.CosineWarmRestarts(5, 0, 0))
            .getMessage());
    assertEquals(
        "lr_schedule.start_factor must lie in (0, 1], got 0.0",
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule.LinearWarmup(0.0, 5))
            .getMessage());
    assertEquals(
        "lr_schedule.power must be a finite number >= 0, got -1.0",
        assertThrows(IllegalArgumentException.class, () -> new LrSchedule.InverseTime(0.1, -1))
            .getMessage());
  }
}
