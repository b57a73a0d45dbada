package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.streamgrad.avro.Outcome;
import io.streamgrad.learn.LabelResult;
import io.streamgrad.learn.Served;
import io.streamgrad.nn.Trainer;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OutcomeWriterTest {
  private final AvroCodec<Outcome> generic = new AvroCodec<>(Outcome.getClassSchema());

  private static final LabelResult[] RESULTS = {
    new LabelResult(
        "s-1",
        new Served(
            new double[] {1, 2}, new double[] {0.1, 0.7, 0.2}, new double[3], 1, 42, 3, 1.0, 5),
        new double[] {2},
        1.609,
        43,
        3,
        Trainer.Outcome.STEPPED,
        1000),
    new LabelResult(
        "ünïcode",
        new Served(new double[0], new double[] {-1e300}, new double[1], null, 0, 1, 0.5, -1),
        new double[] {1, -1},
        null,
        0,
        1,
        Trainer.Outcome.REFUSED,
        0),
    // Multi-byte varints: a 300-byte id, 200 outputs, the largest int, a negative zero loss.
    new LabelResult(
        "x".repeat(300),
        new Served(
            new double[] {3},
            new SplittableRandom(1).doubles(200).toArray(),
            new double[200],
            Integer.MAX_VALUE,
            Long.MAX_VALUE,
            Integer.MAX_VALUE,
            2.0,
            Long.MIN_VALUE),
        new double[] {199},
        -0.0,
        1L << 40,
        Integer.MAX_VALUE,
        Trainer.Outcome.ACCUMULATED,
        Long.MAX_VALUE),
  };

  @Test
  void shouldWriteTheSameBytesAsAvrosGenericWriter() {
    OutcomeWriter writer = new OutcomeWriter();
    for (String model : new String[] {"model-ä", "m", "model-ä"}) {
      for (LabelResult result : RESULTS) {
        for (long time : new long[] {1234567890123L, -1L}) {
          assertArrayEquals(
              generic.encode(OutcomeEncoder.outcome(model, result, time)),
              writer.write(model, result, time));
        }
      }
    }
  }

  @Test
  void shouldWriteTheSameBytesAsTheConfluentWriterUnderItsHeader() {
    ConfluentWriters confluent = new ConfluentWriters(Map.of(RegistryRecord.OUTCOME, 300));
    OutcomeWriter writer = new OutcomeWriter(confluent.header(RegistryRecord.OUTCOME));
    for (LabelResult result : RESULTS) {
      assertArrayEquals(
          confluent.encode(OutcomeEncoder.outcome("m", result, 7)), writer.write("m", result, 7));
    }
  }
}
