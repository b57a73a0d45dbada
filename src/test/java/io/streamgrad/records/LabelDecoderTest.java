package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamgrad.learn.Label;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LabelDecoderTest {
  private final LabelDecoder decoder = new LabelDecoder();

  private Label decode(String text) {
    return decoder.decode(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A field the fast reader does not know sends a label down the tree path, which ignores it. */
  private Label decodeByTree(String text) {
    return decode(text.substring(0, text.lastIndexOf('}')) + ", \"by_tree\": true}");
  }

  @Test
  void shouldDecodeAJsonLabelToTheBitsOfTheTreePath() {
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 2_000; i++) {
      double x = random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-20, 20));
      String number =
          switch (random.nextInt(4)) {
            case 0 -> Double.toString(x);
            case 1 -> String.format(Locale.ROOT, "%.17g", x).replace("E", "e");
            case 2 -> String.valueOf(random.nextInt(-3, 10));
            default -> String.format(Locale.ROOT, "%.6f", x);
          };
      String label = random.nextBoolean() ? number : "[" + number + ", " + i + "]";
      String text =
          "{\"id\": \"s-" + i + "\", \"label\": " + label + ", \"event_time\": " + i * 7L + "}";
      Label fast = decode(text);
      Label tree = decodeByTree(text);
      assertEquals(tree.sampleId(), fast.sampleId());
      assertArrayEquals(tree.value(), fast.value(), 0.0, text);
      assertEquals(tree.eventTime(), fast.eventTime());
    }
  }

  /** Avro's own encoder, so that the field-by-field reader is checked against the standard. */
  private static byte[] avroLabel(String id, java.util.List<Double> values, long eventTime)
      throws java.io.IOException {
    return io.streamgrad.avro.Label.newBuilder()
        .setId(id)
        .setLabel(values)
        .setEventTime(eventTime)
        .build()
        .toByteBuffer()
        .array();
  }

  @Test
  void shouldDecodeAnAvroLabelToWhatAvrosReaderReads() throws Exception {
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 500; i++) {
      java.util.List<Double> values = new java.util.ArrayList<>();
      for (int k = random.nextInt(0, 12); k > 0; k--) {
        values.add(Double.longBitsToDouble(random.nextLong()));
      }
      String id = "é-" + i + "-" + "x".repeat(random.nextInt(0, 200));
      long eventTime = random.nextLong();
      Label label = decoder.decode(avroLabel(id, values, eventTime));
      assertEquals(id, label.sampleId());
      assertArrayEquals(
          values.stream().mapToDouble(Double::doubleValue).toArray(), label.value(), 0.0);
      assertEquals(eventTime, label.eventTime());
    }
  }

  @Test
  void shouldDecodeAnAvroLabelWhoseArrayWasWrittenInSeveralBlocks() throws Exception {
    double[] values = new SplittableRandom(3).doubles(300).toArray();
    io.streamgrad.avro.Label record =
        io.streamgrad.avro.Label.newBuilder()
            .setId("s-blocks")
            .setLabel(java.util.Arrays.stream(values).boxed().toList())
            .setEventTime(42)
            .build();
    // The blocking encoder writes an array as blocks of a negative count and their byte size.
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(avroLabel("header", java.util.List.of(), 0), 0, 10);
    org.apache.avro.io.BinaryEncoder encoder =
        new org.apache.avro.io.EncoderFactory()
            .configureBlockSize(64)
            .blockingBinaryEncoder(out, null);
    new org.apache.avro.specific.SpecificDatumWriter<>(io.streamgrad.avro.Label.class)
        .write(record, encoder);
    encoder.flush();
    Label label = decoder.decode(out.toByteArray());
    assertEquals("s-blocks", label.sampleId());
    assertArrayEquals(values, label.value(), 0.0);
    assertEquals(42, label.eventTime());
  }

  @Test
  void shouldRefuseATruncatedAvroLabelAsUndecodable() throws Exception {
    byte[] whole = avroLabel("s-1", java.util.List.of(1.0, 2.0), 7);
    for (int cut = 11; cut < whole.length; cut++) {
      byte[] truncated = java.util.Arrays.copyOf(whole, cut);
      RejectedException e = assertThrows(RejectedException.class, () -> decoder.decode(truncated));
      assertEquals(ReasonCode.UNDECODABLE, e.reason());
    }
  }

  @Test
  void shouldLeaveALabelWithoutAnIdToTheTreePathsMessage() {
    RejectedException e =
        assertThrows(RejectedException.class, () -> decode("{\"id\": \"\", \"label\": 1}"));
    assertEquals(ReasonCode.MALFORMED_JSON, e.reason());
  }

  @Test
  void shouldLeaveANullLabelToTheTreePathsMessage() {
    RejectedException e =
        assertThrows(RejectedException.class, () -> decode("{\"id\": \"s\", \"label\": null}"));
    assertEquals(ReasonCode.MALFORMED_JSON, e.reason());
  }

  @Test
  void shouldReadALabelOnTheSamplesTopicAsOnTheLabelsTopic() {
    String text = "{\"id\": \"s-1\", \"label\": [0.25, 2]}";
    Label label = decoder.labelInSamplesTopic(text.getBytes(StandardCharsets.UTF_8));
    assertEquals("s-1", label.sampleId());
    assertArrayEquals(new double[] {0.25, 2}, label.value(), 0.0);
  }
}
