package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.nn.Trainer;
import org.junit.jupiter.api.Test;

class PredictionWriterTest {
  private final AvroCodec<Prediction> generic = new AvroCodec<>(Prediction.getClassSchema());
  private final PredictionWriter writer = new PredictionWriter();

  @Test
  void shouldWriteTheSameBytesAsAvrosGenericWriter() {
    LearnResult[] results = {
      new LearnResult(
          "s-1",
          new double[] {0.1, 0.7, 0.2},
          1,
          new double[] {2},
          1.609,
          42,
          3,
          Trainer.Outcome.STEPPED),
      new LearnResult("ünïcode", new double[] {-1e300}, null, null, null, 0, 1, null),
      new LearnResult(
          "",
          new double[0],
          0,
          new double[] {1, -1},
          Double.NaN,
          Long.MAX_VALUE,
          7,
          Trainer.Outcome.REFUSED),
      // Multi-byte varints: a 300-byte id, 200 outputs, the largest int, a negative double.
      new LearnResult(
          "x".repeat(300),
          new java.util.SplittableRandom(1).doubles(200).toArray(),
          Integer.MAX_VALUE,
          new double[] {199},
          -0.0,
          1L << 40,
          Integer.MAX_VALUE,
          Trainer.Outcome.ACCUMULATED),
    };
    String[] models = {"model-ä", "m", "model-ä"};
    for (String model : models) {
      for (LearnResult result : results) {
        for (long time : new long[] {1234567890123L, -1L, Long.MIN_VALUE}) {
          assertArrayEquals(
              generic.encode(OutputRecords.prediction(model, result, time)),
              writer.write(model, result, time));
        }
      }
    }
  }
}
