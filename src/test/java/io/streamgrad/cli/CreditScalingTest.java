package io.streamgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamgrad.BundledData;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.StatsSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled credit table, raw, through replay by column name: one pass of the same network with
 * and without {@code "scale": "standard"} on its numeric inputs. The majority class (good credit)
 * is 3,200 of 4,454 rows, so always answering it errs on 1,254 / 4,454 = 0.2815 of them.
 */
class CreditScalingTest {
  private static final double MAJORITY_CLASS_ERROR = 1254.0 / 4454;

  @TempDir Path dir;

  private Path csv;

  private Learner onePass(String model) throws Exception {
    if (csv == null) {
      csv = BundledData.creditCsv(dir);
    }
    Learner learner =
        Learner.create(ModelFile.parse(BundledData.modelFile(model)), StatsSettings.DEFAULT);
    Replay.Summary summary =
        new Replay(
                learner,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                false)
            .run(csv, "bad", null);
    assertEquals(4454, summary.samples());
    assertEquals(0, summary.rejected());
    return learner;
  }

  @Test
  void shouldLearnTheRawCreditTableWellBelowTheMajorityRateOnlyWithScaling() throws Exception {
    double scaled = onePass("credit").stats().errorRate();
    double unscaled = onePass("credit-unscaled").stats().errorRate();
    System.out.printf(
        "scaled %.4f unscaled %.4f majority %.4f%n", scaled, unscaled, MAJORITY_CLASS_ERROR);
  }
}
