package io.streamgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.service.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** replay's files, through Main.execute: every file error names the file and what is wrong. */
class ReplayCommandTest {
  private static final String SPEC =
      "{\"model\": \"r\", \"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"identity\"}],"
          + " \"loss\": \"l2\"}";

  @TempDir Path dir;

  private CommandRun replay(String csv, String... more) throws Exception {
    return replayTo(dir.resolve("out.json"), csv, more);
  }

  private CommandRun replayTo(Path out, String csv, String... more) throws Exception {
    Path model = dir.resolve("model.json");
    Files.writeString(model, SPEC);
    Path samples = dir.resolve("s.csv");
    Files.writeString(samples, csv);
    String[] base = {
      "replay",
      "--model",
      model.toString(),
      "--samples",
      samples.toString(),
      "--out",
      out.toString()
    };
    String[] args = new String[base.length + more.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(more, 0, args, base.length, more.length);
    return CommandRun.of(args);
  }

  @Test
  void shouldRefuseACsvFileWithoutItsLabelColumnNamingTheColumnsAndTheOption() throws Exception {
    CommandRun run = replay("a,b,target\n1,2,3\n");

    assertEquals(ExitCodes.USAGE, run.code(), run.said());
    assertTrue(
        run.err().contains("no label column 'label' (its columns: a, b, target)"), run.said());
    assertTrue(run.err().contains("--label") && run.err().contains("--no-label"), run.said());
    assertFalse(Files.exists(dir.resolve("out.json")), run.said());
  }

  @Test
  void shouldReadEveryColumnAsAFeatureWithNoLabel() throws Exception {
    CommandRun run = replay("a,b\n1,2\n3,4\n", "--no-label");

    assertEquals(ExitCodes.OK, run.code(), run.said());
    assertTrue(run.err().contains("finished: 2 samples, 0 rejected, 0 steps"), run.said());
  }

  @Test
  void shouldRejectAValueThatIsNotANumberAsMalformedCsv() throws Exception {
    CommandRun run = replay("a,b,label\n1,x,3\n1,2,3\n");

    assertEquals(ExitCodes.OK, run.code(), run.said());
    assertTrue(
        run.err().contains("line 2 skipped: MALFORMED_CSV: line 2, column 'b': not a number"),
        run.said());
  }

  @Test
  void shouldRejectALineThatDoesNotParseAsMalformedCsvAndReadTheNextOne() throws Exception {
    CommandRun run = replay("a,b,label\n1,\"2,3\n1,2,3\n");

    assertEquals(ExitCodes.OK, run.code(), run.said());
    assertTrue(
        run.err().contains("line 2 skipped: MALFORMED_CSV: line 2 does not parse as CSV"),
        run.said());
    assertTrue(run.err().contains("finished: 1 samples, 1 rejected"), run.said());
  }

  @Test
  void shouldExitWithFailureAndWriteNoModelWhenNoLineCouldBeUsed() throws Exception {
    CommandRun run = replay("a,b,label\n1,x,3\ny,2,3\n");

    assertEquals(ExitCodes.FAILURE, run.code(), run.said());
    assertTrue(run.err().contains("no line of samples file"), run.said());
    assertFalse(Files.exists(dir.resolve("out.json")), run.said());
  }

  @Test
  void shouldRefuseAnOutFileInAMissingFolderBeforeTraining() throws Exception {
    Path missing = dir.resolve("no-such-folder");
    CommandRun run = replayTo(missing.resolve("out.json"), "a,b,label\n1,2,3\n");

    assertEquals(ExitCodes.USAGE, run.code(), run.said());
    assertTrue(run.err().contains("its folder " + missing + " does not exist"), run.said());
    assertFalse(run.err().contains("finished"), "no training started: " + run.said());
  }

  @Test
  void shouldRefuseAPredictionsFileInAMissingFolderBeforeTraining() throws Exception {
    Path missing = dir.resolve("no-such-folder");
    CommandRun run =
        replay("a,b,label\n1,2,3\n", "--predictions", missing.resolve("p.jsonl").toString());

    assertEquals(ExitCodes.USAGE, run.code(), run.said());
    assertTrue(run.err().contains("--predictions file"), run.said());
    assertTrue(run.err().contains(missing + " does not exist"), run.said());
    assertFalse(run.err().contains("finished"), "no training started: " + run.said());
  }

  @Test
  void shouldSayTheSamplesFileDoesNotExist() throws Exception {
    Path model = dir.resolve("model.json");
    Files.writeString(model, SPEC);
    Path samples = dir.resolve("missing.csv");
    CommandRun run =
        CommandRun.of(
            "replay",
            "--model",
            model.toString(),
            "--samples",
            samples.toString(),
            "--out",
            dir.resolve("out.json").toString());

    assertEquals(ExitCodes.USAGE, run.code(), run.said());
    assertTrue(run.err().contains("samples file " + samples + " does not exist"), run.said());
  }
}
