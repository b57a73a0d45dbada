package io.streamgrad.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;

class SampleDecoderTest {
  private final SampleDecoder decoder = new SampleDecoder();

  @Test
  void shouldDecodeAvroAndJsonAlike() {
    Sample sample = new Sample("s-17", new double[] {0.3, -1.2, 4.0}, new double[] {2}, 5);
    Sample fromAvro = decoder.decode(decoder.encodeAvro(sample));
    Sample fromJson = decoder.decode(
        "{\"id\": \"s-17\", \"features\": [0.3, -1.2, 4.0], \"label\": 2, \"event_time\": 5}".getBytes(StandardCharsets.UTF_8));
    for (Sample s : new Sample[] {fromAvro, fromJson}) {
      assertEquals("s-17", s.id());
      assertArrayEquals(sample.features(), s.features(), 0.0);
      assertArrayEquals(sample.label(), s.label(), 0.0);
    }
    Sample unlabelled = decoder.decode("{\"id\": \"u\", \"features\": [1], \"label\": null}".getBytes(StandardCharsets.UTF_8));
    assertEquals(null, unlabelled.label());
  }

  @Test
  void shouldDecodeTheCurrentSchemaDirectlyAsTheGenericReaderDoes() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(4);
    for (int n : new int[] {0, 1, 7, 784}) {
      Sample sample = new Sample("x" + n, random.doubles(n, -5, 5).toArray(), n % 2 == 0 ? null : new double[] {1, -2.5}, 99);
      byte[] bytes = decoder.encodeAvro(sample);
      Sample fast = decoder.decode(bytes);
      io.streamgrad.avro.Sample generic =
          new AvroCodec<io.streamgrad.avro.Sample>(io.streamgrad.avro.Sample.getClassSchema()).decode(bytes);
      assertEquals(generic.getId(), fast.id());
      assertArrayEquals(SampleDecoder.toArray(generic.getFeatures()), fast.features(), 0.0);
      if (generic.getLabel() == null) {
        assertEquals(null, fast.label());
      } else {
        assertArrayEquals(SampleDecoder.toArray(generic.getLabel()), fast.label(), 0.0);
      }
      assertEquals(generic.getEventTime(), fast.eventTime());
    }
  }

  @Test
  void shouldRejectBadBytesWithAReason() {
    byte[] good = decoder.encodeAvro(new Sample("a", new double[] {1, 2, 3}, null, 0));
    byte[] unknownFingerprint = good.clone();
    unknownFingerprint[5] ^= 0x55;
    assertReason(ReasonCode.UNDECODABLE, new byte[0]);
    assertReason(ReasonCode.UNDECODABLE, new byte[] {7, 1, 2, 3, -4});
    assertReason(ReasonCode.UNDECODABLE, Arrays.copyOf(good, good.length - 9));
    assertReason(ReasonCode.UNKNOWN_SCHEMA, unknownFingerprint);
    assertReason(ReasonCode.MALFORMED_JSON, "{\"id\": 1, \"features\": [1,".getBytes(StandardCharsets.UTF_8));
    assertReason(ReasonCode.MALFORMED_JSON, "{\"id\": 1, \"features\": [\"x\"]}".getBytes(StandardCharsets.UTF_8));
    assertReason(ReasonCode.MALFORMED_JSON, "{\"id\": 1}".getBytes(StandardCharsets.UTF_8));
  }

  private void assertReason(ReasonCode reason, byte[] bytes) {
    RejectedException e = assertThrows(RejectedException.class, () -> decoder.decode(bytes));
    assertEquals(reason, e.reason(), e.getMessage());
  }

  @Test
  void shouldReadEveryReleasedWriterSchema() {
    for (Schema current : new Schema[] {io.streamgrad.avro.Sample.getClassSchema(),
        io.streamgrad.avro.Prediction.getClassSchema(), io.streamgrad.avro.LossReport.getClassSchema(),
        io.streamgrad.avro.ModelSpec.getClassSchema(), io.streamgrad.avro.DeadLetter.getClassSchema()}) {
      var released = AvroCodec.releasedSchemas(current.getName());
      assertTrue(!released.isEmpty(), "schemas/history keeps " + current.getName());
      for (Schema writer : released) {
        assertEquals(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
            SchemaCompatibility.checkReaderWriterCompatibility(current, writer).getType(),
            current.getName() + " reads " + writer);
      }
    }
  }
}
