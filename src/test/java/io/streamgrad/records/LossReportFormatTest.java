package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.avro.LossReport;
import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** Loss reports with the learning rate and the quality metrics, in both output formats. */
class LossReportFormatTest {
  private static final String BCE =
      "{\"model\": \"b\", \"layers\": [{\"in\": 2, \"out\": 1, \"activation\": \"sigmoid\"}],"
          + " \"loss\": \"bce\", \"optimizer\": {\"type\": \"sgd\", \"learning_rate\": 0.25}}";

  private static LossReport report() {
    Learner learner = Learner.create(ModelFile.parse(BCE), StatsSettings.DEFAULT);
    for (int i = 0; i < 20; i++) {
      double[] x = {Math.sin(i), Math.cos(i)};
      learner.learn(new Sample("s" + i, x, new double[] {x[0] > 0 ? 1 : 0}, 0));
    }
    return OutputRecords.lossReport("b", learner, 1234);
  }

  @Test
  void shouldCarryTheLearningRateAndTheClassifiersMetrics() {
    LossReport r = report();
    assertEquals(0.25, r.getLearningRate());
    assertTrue(r.getAccuracy() >= 0 && r.getAccuracy() <= 1, "accuracy " + r.getAccuracy());
    assertTrue(r.getWindowLogLoss() > 0);
    assertTrue(r.getWindowRocAuc() >= 0 && r.getWindowRocAuc() <= 1);
    assertNull(r.getMae(), "a classifier has no regression metrics");
    assertNull(r.getWindowR2());
  }

  @Test
  void shouldReadBackWhatItWritesInJsonAndInAvro() {
    LossReport r = report();
    OutputDecoder decoder = new OutputDecoder();
    assertEquals(r, decoder.lossReport(new OutputEncoder(OutputFormat.JSON).encode(r)));
    assertEquals(r, decoder.lossReport(new OutputEncoder(OutputFormat.AVRO).encode(r)));
    String json = new String(OutputEncoder.json(r), StandardCharsets.UTF_8);
    assertTrue(json.contains("\"learning_rate\":0.25"), json);
    assertTrue(json.contains("\"window_roc_auc\":"), json);
    assertTrue(json.contains("\"mae\":null"), json);
  }

  @Test
  void shouldReadAReportWrittenWithTheFirstSchemaWithoutMetrics() throws IOException {
    Schema v1 = AvroCodec.releasedSchemas("LossReport").get(0);
    GenericRecord old = new GenericData.Record(v1);
    old.put("model", "m");
    old.put("version", 1);
    old.put("samples", 10L);
    old.put("labelled", 10L);
    old.put("steps", 10L);
    old.put("refused_steps", 0L);
    old.put("mean_loss", 0.5);
    old.put("time", 7L);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old, bytes);
    LossReport read = new OutputDecoder().lossReport(bytes.toByteArray());
    assertEquals(0.5, read.getMeanLoss());
    assertNull(read.getLearningRate());
    assertNull(read.getAccuracy());
    String json =
        "{\"model\":\"m\",\"version\":1,\"samples\":1,\"labelled\":1,\"steps\":1,"
            + "\"refused_steps\":0,\"mean_loss\":0.5,\"time\":7}";
    assertNull(
        new OutputDecoder().lossReport(json.getBytes(StandardCharsets.UTF_8)).getWindowMae());
  }
}
