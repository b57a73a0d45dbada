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
  void shouldPrintTheReplayAndTheLearnerInMemoryAgainstTheKernel(@TempDir Path dir) {
    BenchRun run =
        BenchRun.of(
            "replay",
            "--sizes",
            "3-4-2",
            "--samples",
            "3000",
            "--rounds",
            "1",
            "--passes",
            "2",
            "--kernel-seconds",
            "0.2",
            "--dir",
            dir.toString());
    String out = run.out();
    assertEquals(ExitCodes.OK, run.code(), out);
    String[] lines = out.strip().split("\n");
    assertEquals(5, lines.length, out);
    assertTrue(lines[0].startsWith("3-4-2: 3,000 samples, "), lines[0]);
    assertTrue(
        lines[1].matches(
            "3-4-2 round 1: kernel [\\d,]+ steps/s, replay \\.jsonl [\\d,]+/s \\(\\d+\\.\\d\\d\\),"
                + " \\.avro [\\d,]+/s \\(\\d+\\.\\d\\d\\); per CPU-second: .*"),
        lines[1]);
    assertTrue(
        lines[2].matches(
            "3-4-2 round 1: the learner alone over the samples in memory, beside the kernel in one"
                + " JVM: \\d+\\.\\d\\d of its steps/s, \\d+\\.\\d\\d per CPU-second \\(medians; timed"
                + " passes: 1\\)"),
        lines[2]);
    assertTrue(lines[3].startsWith("3-4-2 replay / kernel: .jsonl "), lines[3]);
    assertTrue(
        lines[4].matches(
            "3-4-2 learner in memory / kernel: \\d+\\.\\d\\d, per CPU-second \\d+\\.\\d\\d"
                + " \\(medians\\): replay's bound with reading free"),
        lines[4]);
  }
}
