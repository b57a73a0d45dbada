package io.streamgrad.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.service.ExitCodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench replay} runs its child JVMs end to end and prints every line: the files, each
 * round's replay and in-memory ratios, the medians (the rates are not judged here).
 */
class BenchReplayTest {

  @Test
  void shouldPrintEachRoundAndTheMediansOfReplayAgainstTheKernel(@TempDir Path dir) {
    BenchRun run =
        BenchRun.of(
            "replay",
            "--sizes",
            "3-4-2",
            "--samples",
            "3000",
            "--rounds",
            "2",
            "--passes",
            "2",
            "--kernel-seconds",
            "0.2",
            "--dir",
            dir.toString());
    String out = run.out();
    assertEquals(ExitCodes.OK, run.code(), out);
    String[] lines = out.strip().split("\n");
    assertEquals(4, lines.length, out);
    assertTrue(lines[0].startsWith("3-4-2: 3,000 samples, "), lines[0]);
    for (int r = 1; r <= 2; r++) {
      assertTrue(
          lines[r].matches(
              "3-4-2 round "
                  + r
                  + ": kernel [\\d,]+ steps/s, replay \\.jsonl [\\d,]+/s \\(\\d+\\.\\d\\d\\),"
                  + " \\.avro [\\d,]+/s \\(\\d+\\.\\d\\d\\); per CPU-second: kernel [\\d,]+,"
                  + " \\.jsonl [\\d,]+ \\(\\d+\\.\\d\\d\\), \\.avro [\\d,]+ \\(\\d+\\.\\d\\d\\)"),
          lines[r]);
    }
    assertTrue(
        lines[3].matches(
            "3-4-2 replay / kernel: \\.jsonl \\d+\\.\\d\\d, \\.avro \\d+\\.\\d\\d; per"
                + " CPU-second \\.jsonl \\d+\\.\\d\\d, \\.avro \\d+\\.\\d\\d \\(medians of 2"
                + " rounds\\)"),
        lines[3]);
  }
}
