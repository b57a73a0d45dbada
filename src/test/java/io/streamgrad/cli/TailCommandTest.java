package io.streamgrad.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.LossReport;
import io.streamgrad.learn.LabelResult;
import io.streamgrad.learn.Served;
import io.streamgrad.nn.Trainer;
import io.streamgrad.records.OutcomeEncoder;
import io.streamgrad.records.OutputEncoder;
import io.streamgrad.records.OutputFormat;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class TailCommandTest {
  @Test
  void shouldShowTheLearningRateAndTheRecentMetricsTheModelHas() {
    LossReport report =
        LossReport.newBuilder()
            .setModel("digits")
            .setVersion(1)
            .setSamples(800)
            .setLabelled(800)
            .setSteps(800)
            .setRefusedSteps(0)
            .setMeanLoss(0.5)
            .setWindowErrorRate(0.05)
            .setLearningRate(0.02)
            .setAccuracy(0.9)
            .setWindowAccuracy(0.95)
            .setWindowMacroF1(0.9412)
            .setTime(0)
            .build();
    byte[] value = new OutputEncoder(OutputFormat.AVRO).encode(report);
    String line =
        new TailCommand()
            .format(
                new ConsumerRecord<>(
                    "streamgrad.loss", 0, 0L, "digits".getBytes(StandardCharsets.UTF_8), value));
    assertTrue(line.startsWith("digits v1  samples 800"), line);
    assertTrue(line.contains("  lr 0.02  recent accuracy 0.9500  macro f1 0.9412"), line);
    assertFalse(line.contains("mae"), "a classifier has no regression metrics: " + line);
  }

  @Test
  void shouldShowAnOutcomeWithTheStepsThatServedAndTrainedAndTheDelay() {
    LabelResult result =
        new LabelResult(
            "s-17",
            new Served(
                new double[] {1, 2}, new double[] {0.2, 0.8}, new double[] {0, 1}, 1, 40, 1, 1, 0),
            new double[] {0},
            1.6094,
            52,
            1,
            Trainer.Outcome.STEPPED,
            4100);
    byte[] value = new OutcomeEncoder(OutputFormat.AVRO).encode("clicks", result, 5000);
    String line =
        new TailCommand()
            .format(
                new ConsumerRecord<>(
                    "streamgrad.outcomes",
                    0,
                    0L,
                    "clicks".getBytes(StandardCharsets.UTF_8),
                    value));
    assertTrue(
        line.equals(
            "clicks  sample s-17  served step 40  prediction 1  label [0.0]  loss 1.6094"
                + "  trained step 52  STEPPED  delay 4100 ms"),
        line);
  }
}
