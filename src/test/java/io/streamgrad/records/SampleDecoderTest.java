package io.streamgrad.records;

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
    Sample fromJson =
        decoder.decode(
            "{\"id\": \"s-17\", \"features\": [0.3, -1.2, 4.0], \"label\": 2, \"event_time\": 5}"
                .getBytes(StandardCharsets.UTF_8));
    for (Sample s : new Sample[] {fromAvro, fromJson}) {
      assertEquals("s-17", s.id());
      assertArrayEquals(sample.features(), s.features(), 0.0);
      assertArrayEquals(sample.label(), s.label(), 0.0);
    }
    Sample unlabelled =
        decoder.decode(
            "{\"id\": \"u\", \"features\": [1], \"label\": null}".getBytes(StandardCharsets.UTF_8));
    assertEquals(null, unlabelled.label());
  }

  @Test
  void shouldDecodeTheCurrentSchemaDirectlyAsTheGenericReaderDoes() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(4);
    for (int n : new int[] {0, 1, 7, 784}) {
      Sample sample =
          new Sample(
              "x" + n,
              random.doubles(n, -5, 5).toArray(),
              n % 2 == 0 ? null : new double[] {1, -2.5},
              99);
      byte[] bytes = decoder.encodeAvro(sample);
      Sample fast = decoder.decode(bytes);
      io.streamgrad.avro.Sample generic =
          new AvroCodec<io.streamgrad.avro.Sample>(io.streamgrad.avro.Sample.getClassSchema())
              .decode(bytes);
      assertEquals(generic.getId(), fast.id());
      assertArrayEquals(doubles(generic.getFeatures()), fast.features(), 0.0);
      if (generic.getLabel() == null) {
        assertEquals(null, fast.label());
      } else {
        assertArrayEquals(doubles(generic.getLabel()), fast.label(), 0.0);
      }
      assertEquals(generic.getEventTime(), fast.eventTime());
    }
  }

  @Test
  void shouldEncodeTheSameBytesAsAvrosOwnEncoder() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(5);
    AvroCodec<io.streamgrad.avro.Sample> generic =
        new AvroCodec<>(io.streamgrad.avro.Sample.getClassSchema());
    for (int n : new int[] {0, 1, 9, 784}) {
      Sample sample =
          new Sample(
              "ü-" + n,
              random.doubles(n, -5, 5).toArray(),
              n % 2 == 0 ? null : new double[] {1, -2.5},
              -n * 1_000_000_007L,
              n == 9 ? 0.5 : 1.0);
      assertArrayEquals(generic.encode(SampleDecoder.toAvro(sample)), decoder.encodeAvro(sample));
    }
  }

  @Test
  void shouldFillOneFeaturesArrayAgainOnlyWhenAskedTo() {
    SampleDecoder reusing = SampleDecoder.reusingFeatures();
    byte[] first = decoder.encodeAvro(new Sample("a", new double[] {1, 2, 3}, new double[] {1}, 0));
    byte[] second = decoder.encodeAvro(new Sample("b", new double[] {4, 5, 6}, null, 0));
    byte[] longer = decoder.encodeAvro(new Sample("c", new double[] {7, 8, 9, 10}, null, 0));

    double[] features = reusing.decode(first).features();
    Sample next = reusing.decode(second);
    assertTrue(next.features() == features, "same length: the same array, filled again");
    assertArrayEquals(new double[] {4, 5, 6}, next.features(), 0.0);
    assertArrayEquals(new double[] {7, 8, 9, 10}, reusing.decode(longer).features(), 0.0);
    assertArrayEquals(
        new double[] {4, 5, 6}, next.features(), 0.0); // a new length gets a new array
    assertArrayEquals(new double[] {1, 2, 3}, reusing.decode(first).features(), 0.0);

    Sample kept = decoder.decode(first);
    decoder.decode(second);
    assertArrayEquals(
        new double[] {1, 2, 3}, kept.features(), 0.0); // the plain decoder never re-uses
  }

  @Test
  void shouldReadArraysWrittenInSeveralBlocksAsTheGenericReaderDoes() throws Exception {
    // Avro lets a writer split an array into blocks; a negative count is followed by the block's
    // size in bytes (Java's BlockingBinaryEncoder writes those).
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(AvroCodec.singleObjectHeader(io.streamgrad.avro.Sample.getClassSchema()));
    writeVarint(out, 2); // id: "s7"
    out.write("s7".getBytes(StandardCharsets.UTF_8));
    writeVarint(out, 0); // features: the array branch of the union
    writeVarint(out, 2); // a block of two features
    writeDoubles(out, 1.5, -2.25);
    writeVarint(out, -3); // a block of three, with its size
    writeVarint(out, 24);
    writeDoubles(out, Double.MIN_VALUE, -0.0, 1e300);
    double[] wide = new double[70]; // a block long enough to be copied in bulk, at offset 5
    for (int i = 0; i < wide.length; i++) {
      wide[i] = i * 0.5 - 3.0;
    }
    writeVarint(out, wide.length);
    writeDoubles(out, wide);
    writeVarint(out, 0); // end of the array
    writeVarint(out, 1); // label present
    writeVarint(out, 1);
    writeDoubles(out, 3.0);
    writeVarint(out, 0);
    writeVarint(out, 123456789L); // event time
    writeDoubles(out, 0.25); // weight
    byte[] bytes = out.toByteArray();

    Sample fast = decoder.decode(bytes);
    io.streamgrad.avro.Sample generic =
        new AvroCodec<io.streamgrad.avro.Sample>(io.streamgrad.avro.Sample.getClassSchema())
            .decode(bytes);
    assertEquals("s7", fast.id());
    assertArrayEquals(doubles(generic.getFeatures()), fast.features(), 0.0);
    double[] expected = new double[5 + wide.length];
    System.arraycopy(new double[] {1.5, -2.25, Double.MIN_VALUE, -0.0, 1e300}, 0, expected, 0, 5);
    System.arraycopy(wide, 0, expected, 5, wide.length);
    assertArrayEquals(expected, fast.features(), 0.0);
    assertArrayEquals(new double[] {3.0}, fast.label(), 0.0);
    assertEquals(123456789L, fast.eventTime());
    assertEquals(0.25, fast.weight(), 0.0);
    // Cut anywhere, the same bytes are rejected, never half read.
    for (int cut = 10; cut < bytes.length; cut++) {
      assertReason(ReasonCode.UNDECODABLE, Arrays.copyOf(bytes, cut));
    }
  }

  private static void writeVarint(java.io.ByteArrayOutputStream out, long value) {
    long zigzag = (value << 1) ^ (value >> 63);
    while ((zigzag & ~0x7fL) != 0) {
      out.write((int) ((zigzag & 0x7f) | 0x80));
      zigzag >>>= 7;
    }
    out.write((int) zigzag);
  }

  private static void writeDoubles(java.io.ByteArrayOutputStream out, double... values) {
    for (double v : values) {
      long bits = Double.doubleToRawLongBits(v);
      for (int i = 0; i < 8; i++) {
        out.write((int) (bits >>> (8 * i)) & 0xff);
      }
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
    assertReason(
        ReasonCode.MALFORMED_JSON,
        "{\"id\": 1, \"features\": [1,".getBytes(StandardCharsets.UTF_8));
    assertReason(
        ReasonCode.MALFORMED_JSON,
        "{\"id\": 1, \"features\": [\"x\"]}".getBytes(StandardCharsets.UTF_8));
    assertReason(ReasonCode.MALFORMED_JSON, "{\"id\": 1}".getBytes(StandardCharsets.UTF_8));
  }

  private void assertReason(ReasonCode reason, byte[] bytes) {
    RejectedException e = assertThrows(RejectedException.class, () -> decoder.decode(bytes));
    assertEquals(reason, e.reason(), e.getMessage());
  }

  @Test
  void shouldCarryTheWeightInAvroAndJsonAndReadOneForRecordsWithout() throws Exception {
    Sample weighted = new Sample("w", new double[] {1, 2}, new double[] {1}, 3, 0.25);
    assertEquals(0.25, decoder.decode(decoder.encodeAvro(weighted)).weight(), 0.0);
    assertEquals(
        0.25,
        decoder
            .decode(
                "{\"id\": \"w\", \"features\": [1, 2], \"weight\": 0.25}"
                    .getBytes(StandardCharsets.UTF_8))
            .weight(),
        0.0);
    assertEquals(
        1.0,
        decoder.decode("{\"features\": [1, 2]}".getBytes(StandardCharsets.UTF_8)).weight(),
        0.0);

    // A record of the first released schema, which had no weight, reads as weight 1.
    Schema v1 = AvroCodec.releasedSchemas("Sample").get(0);
    org.apache.avro.generic.GenericRecord old = new org.apache.avro.generic.GenericData.Record(v1);
    old.put("id", "old");
    old.put("features", java.util.List.of(1.0, 2.0));
    old.put("label", null);
    old.put("event_time", 0L);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    new org.apache.avro.message.BinaryMessageEncoder<org.apache.avro.generic.GenericRecord>(
            org.apache.avro.generic.GenericData.get(), v1)
        .encode(old, out);
    Sample fromV1 = decoder.decode(out.toByteArray());
    assertEquals("old", fromV1.id());
    assertEquals(1.0, fromV1.weight(), 0.0);
  }

  @Test
  void shouldRejectANegativeOrNonFiniteWeightInEveryFormAsBadWeight() {
    for (double weight : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
      Sample bad = new Sample("b", new double[] {1}, null, 0, weight);
      assertReason(ReasonCode.BAD_WEIGHT, decoder.encodeAvro(bad));
      assertReason(ReasonCode.BAD_WEIGHT, SampleFile.toJson(bad).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void shouldReadEveryReleasedWriterSchema() {
    for (Schema current :
        new Schema[] {
          io.streamgrad.avro.Sample.getClassSchema(),
          io.streamgrad.avro.Prediction.getClassSchema(),
          io.streamgrad.avro.LossReport.getClassSchema(),
          io.streamgrad.avro.ModelSpec.getClassSchema(),
          io.streamgrad.avro.DeadLetter.getClassSchema(),
          io.streamgrad.avro.Event.getClassSchema(),
          io.streamgrad.avro.Label.getClassSchema(),
          io.streamgrad.avro.Outcome.getClassSchema()
        }) {
      var released = AvroCodec.releasedSchemas(current.getName());
      assertTrue(!released.isEmpty(), "schemas/history keeps " + current.getName());
      for (Schema writer : released) {
        assertEquals(
            SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
            SchemaCompatibility.checkReaderWriterCompatibility(current, writer).getType(),
            current.getName() + " reads " + writer);
      }
    }
  }

  /** A list of doubles, or the array branch of Sample's features. */
  @SuppressWarnings("unchecked")
  private static double[] doubles(Object values) {
    return ((java.util.List<Double>) values).stream().mapToDouble(Double::doubleValue).toArray();
  }
}
