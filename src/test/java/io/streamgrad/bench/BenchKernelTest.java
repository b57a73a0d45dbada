package io.streamgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.cli.Main;
import io.streamgrad.service.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code bench kernel --baseline} runs end to end and prints its lines (the rates are not judged
 * here).
 */
class BenchKernelTest {

  @Test
  void shouldPrintTheGenericLoopsAndTheSideBySideRatio() {
    Run run = bench("kernel", "--baseline", "--sizes", "3-4-2", "--seconds", "0.2", "--pairs", "2");
    assertEquals(ExitCodes.OK, run.code, run.out);
    String[] lines = run.out.strip().split("\n");
    assertEquals(4, lines.length, run.out);
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
    assertEquals(ExitCodes.USAGE, bench("kernel", "--baseline", "--pairs", "0").code);
  }

  private record Run(int code, String out) {}

  private static Run bench(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    String[] command = new String[args.length + 1];
    command[0] = "bench";
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      return new Run(Main.execute(command), out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(saved);
    }
  }
}
