package io.streamgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.service.ExitCodes;
import org.junit.jupiter.api.Test;

/**
 * {@code bench kernel --baseline} runs end to end and prints its lines (the rates are not judged
 * here).
 */
class BenchKernelTest {

  @Test
  void shouldPrintTheGenericLoopsAndTheSideBySideRatio() {
    BenchRun run =
        BenchRun.of("kernel", "--baseline", "--sizes", "3-4-2", "--seconds", "0.2", "--pairs", "2");
    assertEquals(ExitCodes.OK, run.code(), run.out());
    String[] lines = run.out().strip().split("\n");
    assertEquals(4, lines.length, run.out());
    assertTrue(lines[0].matches("3-4-2 \\d+ \\(generic loops\\)"), lines[0]);
    for (int p = 1; p <= 2; p++) {
      assertTrue(
          lines[p].matches(
              "3-4-2 \\d+, hand-written loop \\d+ steps/s: nn / hand \\d+\\.\\d{3} \\(median of 0\\.1 s slices\\)"),
          lines[p]);
    }
    assertTrue(
        lines[3].matches(
            "3-4-2 nn / hand-written loop: median \\d+\\.\\d\\d \\(\\d+\\.\\d\\d to \\d+\\.\\d\\d over 2 JVMs\\)"),
        lines[3]);
  }

  @Test
  void shouldRefuseFewerThanOnePair() {
    assertEquals(ExitCodes.USAGE, BenchRun.of("kernel", "--baseline", "--pairs", "0").code());
  }
}
