package io.streamgrad.records;

import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Samples in an Avro object container file ({@code .avro}): the standard file of Avro records with
 * its writer schema in the header, written by Spark, Python's fastavro, avro-tools or {@link
 * #write}. The records are Sample records (schemas/Sample.avsc) of any released version; a file of
 * another record type is refused as a whole, naming both schemas.
 *
 * <p>Records of a released Sample schema are read field by field into {@code double[]}; Avro's
 * generic reader would box every feature into a List of Double first.
 */
public final class SampleAvroFile {
  private static final Schema CURRENT = io.streamgrad.avro.Sample.getClassSchema();

  private SampleAvroFile() {}

  /**
   * Every record of the file, in order, numbered from 1; a record whose values cannot be used (a
   * bad weight) comes back as a rejection with its number.
   *
   * @throws IOException when the file is not an Avro container file of Sample records, or is
   *     corrupt (naming the record where reading stopped)
   */
  static void read(InputStream in, Consumer<SampleFile.Line> consumer) throws IOException {
    SampleReader reader = new SampleReader();
    long number = 0;
    try (DataFileStream<Sample> records = open(in, reader)) {
      while (true) {
        Sample sample;
        try {
          if (!records.hasNext()) {
            return;
          }
          sample = records.next();
        } catch (AvroRuntimeException e) {
          throw new IOException(
              "Avro record " + (number + 1) + " cannot be read: " + e.getMessage(), e);
        }
        number++;
        SampleFile.Line line;
        try {
          line = new SampleFile.Line(number, SampleJson.checkWeight(sample), null);
        } catch (RejectedException e) {
          line = new SampleFile.Line(number, null, e.rejection());
        }
        consumer.accept(line);
      }
    }
  }

  private static DataFileStream<Sample> open(InputStream in, SampleReader reader)
      throws IOException {
    try {
      return new DataFileStream<>(in, reader);
    } catch (IOException | AvroRuntimeException e) {
      throw new IOException(
          "not an Avro object container file of Sample records: " + e.getMessage(), e);
    }
  }

  /** Writes samples as an Avro container file of the current Sample schema. */
  public static void write(Iterable<Sample> samples, OutputStream out) throws IOException {
    try (DataFileWriter<io.streamgrad.avro.Sample> writer =
        new DataFileWriter<>(new SpecificDatumWriter<>(io.streamgrad.avro.Sample.class))) {
      writer.create(CURRENT, out);
      for (Sample sample : samples) {
        writer.append(SampleDecoder.toAvro(sample));
      }
    }
  }

  /**
   * A DatumReader straight to {@link Sample} for the released Sample schemas, Avro's own schema
   * resolution for any other writer schema that a Sample reader can read.
   */
  private static final class SampleReader implements DatumReader<Sample> {
    private static final long CURRENT_FINGERPRINT = fingerprint(CURRENT);
    private static final long V1_FINGERPRINT =
        fingerprint(AvroCodec.releasedSchemas(CURRENT.getName()).get(0));
    private static final long V2_FINGERPRINT =
        fingerprint(AvroCodec.releasedSchemas(CURRENT.getName()).get(1));

    /**
     * 3: the current schema (features an array or a map), 2: the second (features an array), 1: the
     * first (no weight), 0: another one, resolved by Avro.
     */
    private int direct;

    private DatumReader<io.streamgrad.avro.Sample> resolving;
    private double[] values = new double[64];

    @Override
    public void setSchema(Schema writer) {
      long fingerprint = fingerprint(writer);
      if (fingerprint == CURRENT_FINGERPRINT) {
        direct = 3;
      } else if (fingerprint == V2_FINGERPRINT) {
        direct = 2;
      } else if (fingerprint == V1_FINGERPRINT) {
        direct = 1;
      } else {
        var compatibility =
            org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(CURRENT, writer);
        if (compatibility.getType()
            != org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
          throw new AvroRuntimeException(
              "the file's schema "
                  + writer.getFullName()
                  + " cannot be read as "
                  + CURRENT.getFullName()
                  + " (schemas/Sample.avsc): "
                  + compatibility.getDescription());
        }
        direct = 0;
        resolving = new SpecificDatumReader<>(writer, CURRENT);
      }
    }

    @Override
    public Sample read(Sample reuse, Decoder in) throws IOException {
      if (direct == 0) {
        return SampleDecoder.fromAvro(resolving.read(null, in));
      }
      String id = in.readString();
      double[] features = null;
      java.util.Map<String, Object> named = null;
      int featuresBranch = direct == 3 ? in.readIndex() : 0;
      if (featuresBranch == 0) {
        features = readDoubles(in);
      } else if (featuresBranch == 1) {
        named = readNamed(in);
      } else {
        throw new IOException("bad union branch " + featuresBranch + " for features");
      }
      double[] label = null;
      int branch = in.readIndex();
      if (branch == 1) {
        label = readDoubles(in);
      } else if (branch != 0) {
        throw new IOException("bad union branch " + branch + " for label");
      }
      long eventTime = in.readLong();
      double weight = direct >= 2 ? in.readDouble() : 1.0;
      return new Sample(id, features, label, eventTime, weight, named);
    }

    private static java.util.Map<String, Object> readNamed(Decoder in) throws IOException {
      java.util.Map<String, Object> named = new java.util.LinkedHashMap<>();
      for (long n = in.readMapStart(); n != 0; n = in.mapNext()) {
        for (long i = 0; i < n; i++) {
          String key = in.readString();
          int branch = in.readIndex();
          named.put(
              key,
              switch (branch) {
                case 0 -> {
                  in.readNull();
                  yield null;
                }
                case 1 -> in.readDouble();
                case 2 -> in.readString();
                case 3 -> in.readBoolean();
                default -> throw new IOException("bad union branch " + branch + " for a feature");
              });
        }
      }
      return named;
    }

    private double[] readDoubles(Decoder in) throws IOException {
      int size = 0;
      for (long n = in.readArrayStart(); n != 0; n = in.arrayNext()) {
        if (size + n > values.length) {
          values = java.util.Arrays.copyOf(values, (int) Math.max(size + n, 2L * values.length));
        }
        for (long i = 0; i < n; i++) {
          values[size++] = in.readDouble();
        }
      }
      return java.util.Arrays.copyOf(values, size);
    }

    private static long fingerprint(Schema schema) {
      return SchemaNormalization.parsingFingerprint64(schema);
    }
  }
}
