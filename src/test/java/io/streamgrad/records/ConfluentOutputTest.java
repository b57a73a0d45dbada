package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamgrad.avro.LossReport;
import io.streamgrad.avro.Prediction;
import io.streamgrad.learn.LearnResult;
import io.streamgrad.nn.Trainer;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Outputs under {@code output.format=confluent-avro}: the header carries the id our schema was
 * registered under, the body is plain Avro binary that any reader decodes with that schema.
 */
class ConfluentOutputTest {
  private static final Map<RegistryRecord, Integer> IDS =
      Map.of(
          RegistryRecord.PREDICTION, 300,
          RegistryRecord.LOSS_REPORT, 70000,
          RegistryRecord.EVENT, 3,
          RegistryRecord.DEAD_LETTER, 4);
  private final OutputEncoder encoder =
      new OutputEncoder(OutputFormat.CONFLUENT_AVRO, new ConfluentWire(null, IDS, 10));

  private static final LearnResult RESULT =
      new LearnResult(
          "s-9",
          new double[] {0.25, 0.75},
          1,
          new double[] {1},
          0.3,
          12,
          2,
          Trainer.Outcome.STEPPED);

  @Test
  void shouldFrameAPredictionWithItsRegisteredId() throws IOException {
    byte[] bytes = encoder.encodePrediction("m", RESULT, 1000);
    assertArrayEquals(new byte[] {0, 0, 0, 1, 44}, Arrays.copyOf(bytes, 5), "id 300");
    GenericRecord read = body(bytes, Prediction.getClassSchema());
    assertEquals("m", read.get("model").toString());
    assertEquals("s-9", read.get("sample_id").toString());
    assertEquals(12L, read.get("step"));
    assertEquals(1000L, read.get("time"));
  }

  @Test
  void shouldWriteTheFastPredictionAsAvrosOwnWriterDoes() {
    assertArrayEquals(
        encoder.encode(OutputRecords.prediction("m", RESULT, 1000)),
        encoder.encodePrediction("m", RESULT, 1000));
  }

  @Test
  void shouldReadBackWhatItWroteWithTheSchemasOfTheRegistry() {
    Framed.Registry registry =
        new Framed.Registry()
            .with(300, Prediction.getClassSchema())
            .with(70000, LossReport.getClassSchema());
    OutputDecoder decoder =
        new OutputDecoder().readingRegistry(new ConfluentWire(registry, Map.of(), 10));
    Prediction prediction = decoder.prediction(encoder.encodePrediction("m", RESULT, 5));
    assertEquals("s-9", prediction.getSampleId());
    LossReport report =
        LossReport.newBuilder()
            .setModel("m")
            .setVersion(1)
            .setSamples(10)
            .setLabelled(10)
            .setSteps(10)
            .setRefusedSteps(0)
            .setTime(7)
            .build();
    byte[] framed = encoder.encode(report);
    assertArrayEquals(new byte[] {0, 0, 1, 17, 112}, Arrays.copyOf(framed, 5), "id 70000");
    assertEquals(report, decoder.lossReport(framed));
  }

  @Test
  void shouldRefuseATypeWhoseSchemaWasNotRegistered() {
    OutputEncoder partial =
        new OutputEncoder(
            OutputFormat.CONFLUENT_AVRO,
            new ConfluentWire(null, Map.of(RegistryRecord.PREDICTION, 1), 10));
    assertThrows(
        IllegalStateException.class,
        () ->
            partial.encode(
                LossReport.newBuilder()
                    .setModel("m")
                    .setVersion(1)
                    .setSamples(0)
                    .setLabelled(0)
                    .setSteps(0)
                    .setRefusedSteps(0)
                    .setTime(0)
                    .build()));
  }

  @Test
  void shouldNameSubjectsAsConfluentsStrategiesDo() {
    Schema schema = Prediction.getClassSchema();
    assertEquals("p-value", SubjectNameStrategy.TOPIC.subject("p", schema));
    assertEquals("io.streamgrad.avro.Prediction", SubjectNameStrategy.RECORD.subject("p", schema));
    assertEquals(
        "p-io.streamgrad.avro.Prediction", SubjectNameStrategy.TOPIC_RECORD.subject("p", schema));
  }

  private static GenericRecord body(byte[] bytes, Schema schema) throws IOException {
    return new GenericDatumReader<GenericRecord>(schema)
        .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
  }
}
