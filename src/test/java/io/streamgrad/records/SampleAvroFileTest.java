package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamgrad.learn.Sample;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/**
 * The records of an Avro container file, read straight from its blocks, are the ones Avro's own
 * reader resolves to the current Sample schema: every released schema, several blocks, a codec, and
 * a writer schema that is not a released one.
 */
class SampleAvroFileTest {
  private static final Schema CURRENT = io.streamgrad.avro.Sample.getClassSchema();

  @Test
  void shouldReadEveryReleasedSchemaAsAvrosOwnReaderDoes() throws Exception {
    List<Schema> released = AvroCodec.releasedSchemas("Sample");
    for (Schema writer : released) {
      byte[] file = file(writer, records(writer, 700, 11), CodecFactory.nullCodec());
      assertSameAsAvro(file);
    }
  }

  @Test
  void shouldReadACompressedFileOfManyBlocksAsAvrosOwnReaderDoes() throws Exception {
    byte[] file = file(CURRENT, records(CURRENT, 3_000, 13), CodecFactory.deflateCodec(3));
    assertSameAsAvro(file);
  }

  @Test
  void shouldResolveAWriterSchemaThatIsNotAReleasedOneAsAvroDoes() throws Exception {
    // The current fields and one more, which the reader's schema skips.
    List<Schema.Field> fields = new ArrayList<>();
    fields.add(new Schema.Field("note", Schema.create(Schema.Type.STRING)));
    for (Schema.Field field : CURRENT.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    Schema writer =
        Schema.createRecord(CURRENT.getName(), null, CURRENT.getNamespace(), false, fields);
    List<GenericRecord> records = records(writer, 300, 17);
    for (GenericRecord record : records) {
      record.put("note", "kept by the writer only");
    }
    assertSameAsAvro(file(writer, records, CodecFactory.nullCodec()));
  }

  @Test
  void shouldNameTheRecordWhoseBytesRunPastItsBlock() throws Exception {
    GenericRecord record = new GenericData.Record(CURRENT);
    record.put("id", "marker-of-the-id");
    record.put("features", List.of(1.0, 2.0));
    record.put("label", null);
    record.put("event_time", 0L);
    record.put("weight", 1.0);
    byte[] file = file(CURRENT, List.of(record, record), CodecFactory.nullCodec());
    String text = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
    int second = text.indexOf("marker-of-the-id", text.indexOf("marker-of-the-id") + 1);
    file[second - 1] = 0x7E; // the id's length: 63 bytes, more than the block has left
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                SampleFile.read(
                    new ByteArrayInputStream(file), SampleFile.Format.AVRO, null, line -> {}));
    assertTrue(e.getMessage().startsWith("Avro record 2 cannot be read"), e.getMessage());
  }

  private static void assertSameAsAvro(byte[] file) throws IOException {
    List<Sample> expected = new ArrayList<>();
    try (DataFileStream<io.streamgrad.avro.Sample> avro =
        new DataFileStream<>(
            new ByteArrayInputStream(file),
            new SpecificDatumReader<>(io.streamgrad.avro.Sample.class))) {
      for (io.streamgrad.avro.Sample record : avro) {
        expected.add(SampleDecoder.fromAvro(record));
      }
    }
    List<Sample> read = new ArrayList<>();
    SampleFile.read(
        new ByteArrayInputStream(file),
        SampleFile.Format.AVRO,
        null,
        line -> read.add(line.sample()));
    assertEquals(expected.size(), read.size());
    for (int i = 0; i < expected.size(); i++) {
      Sample want = expected.get(i);
      Sample got = read.get(i);
      assertEquals(want.id(), got.id());
      assertArrayEquals(bits(want.features()), bits(got.features()), want.id());
      assertEquals(want.namedFeatures(), got.namedFeatures(), want.id());
      assertArrayEquals(bits(want.label()), bits(got.label()), want.id());
      assertEquals(want.eventTime(), got.eventTime(), want.id());
      assertEquals(
          Double.doubleToRawLongBits(want.weight()), Double.doubleToRawLongBits(got.weight()));
    }
  }

  /** Records of the writer schema: arrays of 0–70 features, named ones where it has them. */
  private static List<GenericRecord> records(Schema writer, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    boolean hasNamed = writer.getField("features").schema().getType() == Schema.Type.UNION;
    List<GenericRecord> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      GenericRecord record = new GenericData.Record(writer);
      record.put("id", random.nextInt(5) == 0 ? "é-" + i : "s" + i);
      if (hasNamed && random.nextInt(4) == 0) {
        Map<String, Object> named = new LinkedHashMap<>();
        named.put("amount", random.nextDouble());
        named.put("country", random.nextBoolean() ? "FR" : "日本");
        named.put("is_new", random.nextBoolean());
        named.put("missing", null);
        record.put("features", named);
      } else {
        record.put("features", doubles(random, random.nextInt(71)));
      }
      record.put("label", random.nextInt(3) == 0 ? null : doubles(random, 1 + random.nextInt(3)));
      if (writer.getField("event_time") != null) {
        record.put("event_time", random.nextLong());
      }
      if (writer.getField("weight") != null) {
        record.put("weight", random.nextDouble(0, 3));
      }
      records.add(record);
    }
    return records;
  }

  private static List<Double> doubles(SplittableRandom random, int count) {
    List<Double> values = new ArrayList<>();
    for (int k = 0; k < count; k++) {
      values.add(Double.longBitsToDouble(random.nextLong()));
    }
    return values;
  }

  private static byte[] file(Schema writer, List<GenericRecord> records, CodecFactory codec)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataFileWriter<GenericRecord> file =
        new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(writer))) {
      file.setCodec(codec);
      file.setSyncInterval(2048); // many blocks
      file.create(writer, out);
      for (GenericRecord record : records) {
        file.append(record);
      }
    }
    return out.toByteArray();
  }

  private static long[] bits(double[] values) {
    if (values == null) {
      return null;
    }
    long[] bits = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Double.doubleToRawLongBits(values[i]);
    }
    return bits;
  }
}
