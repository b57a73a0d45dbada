package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** Named features in every wire form: JSON, Avro (v3), CSV by column name. */
class NamedFeaturesTest {
  private final SampleDecoder decoder = new SampleDecoder();

  private static Map<String, Object> named() {
    Map<String, Object> named = new LinkedHashMap<>();
    named.put("amount", 120.5);
    named.put("country", "FR");
    named.put("is_new", true);
    named.put("merchant", null);
    return named;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldReadAJsonObjectOfFeaturesAsNamedValues() {
    Sample sample =
        decoder.decode(
            utf8(
                "{\"id\": \"n\", \"features\": {\"amount\": 120.5, \"country\": \"FR\","
                    + " \"is_new\": true, \"merchant\": null}, \"label\": 1}"));
    assertEquals(named(), sample.namedFeatures());
    assertNull(sample.features());
    assertArrayEquals(new double[] {1}, sample.label(), 0.0);
  }

  @Test
  void shouldRefuseAJsonFeatureThatIsAnArrayOrAnObjectNamingIt() {
    RejectedException e =
        assertThrows(
            RejectedException.class,
            () -> decoder.decode(utf8("{\"features\": {\"tags\": [1, 2]}}")));
    assertEquals(ReasonCode.MALFORMED_JSON, e.reason());
    assertEquals(true, e.getMessage().contains("features.tags"), e.getMessage());
  }

  @Test
  void shouldRoundTripNamedFeaturesThroughAvro() {
    Sample sample = Sample.named("a", named(), new double[] {0}, 7, 0.5);
    Sample back = decoder.decode(decoder.encodeAvro(sample));
    assertEquals(sample.namedFeatures(), back.namedFeatures());
    assertEquals(7, back.eventTime());
    assertEquals(0.5, back.weight(), 0.0);
  }

  @Test
  void shouldWriteNamedFeaturesAsAvrosOwnEncoderDoes() throws Exception {
    Sample sample = Sample.named("a", named(), null, 0, 1.0);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    new BinaryMessageEncoder<io.streamgrad.avro.Sample>(
            org.apache.avro.specific.SpecificData.get(), io.streamgrad.avro.Sample.getClassSchema())
        .encode(SampleDecoder.toAvro(sample), expected);
    assertArrayEquals(expected.toByteArray(), decoder.encodeAvro(sample));
  }

  @Test
  void shouldStillReadASampleOfTheSecondSchema() throws Exception {
    Schema v2 = AvroCodec.releasedSchemas("Sample").get(1);
    GenericRecord old = new GenericData.Record(v2);
    old.put("id", "v2");
    old.put("features", List.of(1.0, 2.0));
    old.put("label", List.of(1.0));
    old.put("event_time", 5L);
    old.put("weight", 0.5);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v2).encode(old, out);
    Sample sample = decoder.decode(out.toByteArray());
    assertArrayEquals(new double[] {1, 2}, sample.features(), 0.0);
    assertEquals(0.5, sample.weight(), 0.0);
  }

  @Test
  void shouldReadAnAvroFileOfNamedSamples() throws Exception {
    Sample sample = Sample.named("f", named(), new double[] {1}, 0, 1.0);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    SampleAvroFile.write(List.of(sample), file);
    List<Sample> read = new ArrayList<>();
    SampleFile.read(
        new ByteArrayInputStream(file.toByteArray()),
        SampleFile.Format.AVRO,
        null,
        line -> read.add(line.sample()));
    assertEquals(named(), read.get(0).namedFeatures());
  }

  @Test
  void shouldReadCsvColumnsByNameTypedByTheirCells() throws Exception {
    String csv = "amount,country,is_new,merchant,label\n120.5,FR,true,,1\n";
    List<Sample> read = new ArrayList<>();
    SampleFile.read(
        new ByteArrayInputStream(utf8(csv)),
        SampleFile.Format.CSV,
        "label",
        true,
        line -> read.add(line.sample()));
    assertEquals(named(), read.get(0).namedFeatures());
    assertArrayEquals(new double[] {1}, read.get(0).label(), 0.0);
  }
}
