package io.streamgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.service.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * produce's checks of its files, which come before it talks to a broker: the servers given here are
 * never contacted (CommandsIT has the ones that need a broker).
 */
class ProduceCommandTest {
  @TempDir Path dir;

  @Test
  void shouldSayTheSpecFileDoesNotExist() throws Exception {
    Path samples = dir.resolve("s.jsonl");
    Files.writeString(samples, "{\"id\": \"1\", \"features\": [1, 2], \"label\": 3}\n");
    Path spec = dir.resolve("missing.json");

    CommandRun run =
        CommandRun.of(
            "produce",
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--model",
            "m",
            "--spec",
            spec.toString(),
            "--samples",
            samples.toString());

    assertEquals(ExitCodes.USAGE, run.code(), run.said());
    assertTrue(run.err().contains("spec file " + spec + " does not exist"), run.said());
  }

  @Test
  void shouldRefuseACsvFileWithoutItsLabelColumnNamingTheColumnsAndTheOption() throws Exception {
    Path samples = dir.resolve("s.csv");
    Files.writeString(samples, "x1,x2,y\n1,2,3\n");

    CommandRun run =
        CommandRun.of(
            "produce",
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--model",
            "m",
            "--samples",
            samples.toString());

    assertEquals(ExitCodes.USAGE, run.code(), run.said());
    assertTrue(run.err().contains("no label column 'label' (its columns: x1, x2, y)"), run.said());
    assertTrue(run.err().contains("--label") && run.err().contains("--no-label"), run.said());
  }
}
