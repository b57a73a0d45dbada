package io.streamgrad.records;

import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Samples in an Avro object container file ({@code .avro}): the standard file of Avro records with
 * its writer schema in the header, written by Spark, Python's fastavro, avro-tools or {@link
 * #write}. The records are Sample records (schemas/Sample.avsc) of any released version; a file of
 * another record type is refused as a whole, naming both schemas.
 *
 * <p>Avro's {@link DataFileStream} finds, checks and decompresses the blocks; the records of a
 * released Sample schema are read straight from each block's bytes into {@code double[]} ({@link
 * BlockDecoder}), those of another writer schema through Avro's resolving reader. Avro's generic
 * reader would box every feature into a List of Double first.
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
      BinaryDecoder resolving = null;
      while (true) {
        ByteBuffer block;
        long count;
        try {
          if (!records.hasNext()) {
            return;
          }
          count = records.getBlockCount();
          block = records.nextBlock();
        } catch (AvroRuntimeException e) {
          throw new IOException(
              "Avro record " + (number + 1) + " cannot be read: " + e.getMessage(), e);
        }
        byte[] bytes = block.array();
        int start = block.arrayOffset() + block.position();
        int end = start + block.remaining();
        BlockDecoder direct = reader.direct == 0 ? null : new BlockDecoder(bytes, start, end);
        if (direct == null) {
          resolving = DecoderFactory.get().binaryDecoder(bytes, start, end - start, resolving);
        }
        for (long i = 0; i < count; i++) {
          Sample sample;
          try {
            sample = direct != null ? direct.sample(reader.direct) : reader.read(null, resolving);
          } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
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
        if (direct != null ? !direct.atEnd() : !resolving.isEnd()) {
          throw new IOException(
              "Avro record "
                  + number
                  + " cannot be read: its block holds more bytes than its records, the data may"
                  + " be corrupt");
        }
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
   * The records of one block of a released Sample schema, read straight from the block's bytes as
   * Avro's binary encoding lays them out (zig-zag varints, little-endian doubles, length-prefixed
   * strings, arrays and maps in counted blocks) into {@code double[]}: through Avro's decoder and
   * its calls per value, the reading took as long as an 8-32-1 step.
   */
  private static final class BlockDecoder {
    private static final VarHandle EIGHT_BYTES =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] bytes;
    private int position;
    private final int end;

    BlockDecoder(byte[] bytes, int start, int end) {
      this.bytes = bytes;
      this.position = start;
      this.end = end;
    }

    boolean atEnd() {
      return position == end;
    }

    /**
     * The next record, of schema version 3 (features an array or a map), 2 (an array) or 1 (no
     * weight), as {@link SampleReader#read} reads it.
     */
    Sample sample(int version) throws IOException {
      String id = readString();
      double[] features = null;
      java.util.Map<String, Object> named = null;
      long featuresBranch = version == 3 ? readLong() : 0;
      if (featuresBranch == 0) {
        features = readDoubles();
      } else if (featuresBranch == 1) {
        named = readNamed();
      } else {
        throw new IOException("bad union branch " + featuresBranch + " for features");
      }
      double[] label = null;
      long branch = readLong();
      if (branch == 1) {
        label = readDoubles();
      } else if (branch != 0) {
        throw new IOException("bad union branch " + branch + " for label");
      }
      long eventTime = readLong();
      double weight = version >= 2 ? readDouble() : 1.0;
      return new Sample(id, features, label, eventTime, weight, named);
    }

    /** A zig-zag varint of up to ten bytes. */
    private long readLong() throws IOException {
      long raw = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = bytes[checked(1)];
        position++;
        raw |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return (raw >>> 1) ^ -(raw & 1);
        }
      }
      throw new IOException("a varint longer than ten bytes");
    }

    /** One byte, true when it is 1, as Avro's decoder reads a boolean. */
    private boolean readBoolean() throws IOException {
      boolean value = (bytes[checked(1)] & 0xFF) == 1;
      position++;
      return value;
    }

    private double readDouble() throws IOException {
      double value = Double.longBitsToDouble((long) EIGHT_BYTES.get(bytes, checked(8)));
      position += 8;
      return value;
    }

    private String readString() throws IOException {
      int length = length(readLong());
      String text = new String(bytes, checked(length), length, StandardCharsets.UTF_8);
      position += length;
      return text;
    }

    /** An array of doubles: blocks of a count (negative: followed by the block's size in bytes). */
    private double[] readDoubles() throws IOException {
      int size = 0;
      double[] values = new double[0];
      for (long n = readLong(); n != 0; n = readLong()) {
        if (n < 0) {
          n = -n;
          readLong();
        }
        int count = length(n);
        checked(8 * count);
        values = size == 0 ? new double[count] : java.util.Arrays.copyOf(values, size + count);
        for (int i = 0; i < count; i++) {
          values[size++] = Double.longBitsToDouble((long) EIGHT_BYTES.get(bytes, position));
          position += 8;
        }
      }
      return values;
    }

    /** A map of named features, as SampleReader's decoder reads it. */
    private java.util.Map<String, Object> readNamed() throws IOException {
      java.util.Map<String, Object> named = new java.util.LinkedHashMap<>();
      for (long n = readLong(); n != 0; n = readLong()) {
        if (n < 0) {
          n = -n;
          readLong();
        }
        for (long i = 0; i < n; i++) {
          String key = readString();
          long branch = readLong();
          named.put(
              key,
              switch ((int) branch) {
                case 0 -> null;
                case 1 -> readDouble();
                case 2 -> readString();
                case 3 -> readBoolean();
                default -> throw new IOException("bad union branch " + branch + " for a feature");
              });
        }
      }
      return named;
    }

    /** The position, when count more bytes are left in the block. */
    private int checked(int count) throws IOException {
      if (count > end - position) {
        throw new IOException("the record runs past the end of its block");
      }
      return position;
    }

    private static int length(long value) throws IOException {
      if (value < 0 || value > Integer.MAX_VALUE / 8) {
        throw new IOException("a length of " + value);
      }
      return (int) value;
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

    /** A record of a schema that is not a released one, resolved by Avro. */
    @Override
    public Sample read(Sample reuse, Decoder in) throws IOException {
      return SampleDecoder.fromAvro(resolving.read(null, in));
    }

    private static long fingerprint(Schema schema) {
      return SchemaNormalization.parsingFingerprint64(schema);
    }
  }
}
