package io.streamgrad.bench;

import io.streamgrad.records.ConfluentFraming;
import io.streamgrad.records.ConfluentWire;
import io.streamgrad.records.RegistryRecord;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The Confluent wire format for {@code bench e2e --sample-formats confluent}: samples framed as a
 * registry serializer frames them, and outputs written with registered ids. The ids resolve from a
 * table in memory, not over HTTP: a stream looks each id up once and never again, so what is
 * measured is the framing and the resolved decoding per record, which a registry's round trip at
 * start does not change.
 */
final class RegistryFramedSamples {
  static final int SAMPLE_ID = 1;
  private static final Map<RegistryRecord, Integer> OUTPUT_IDS =
      Map.of(
          RegistryRecord.PREDICTION, 2,
          RegistryRecord.LOSS_REPORT, 3,
          RegistryRecord.EVENT, 4,
          RegistryRecord.DEAD_LETTER, 5);

  private RegistryFramedSamples() {}

  /** Ids to schemas, as a registry would hold them: the producers' Sample and our outputs. */
  private static Optional<Schema> lookup(int id) {
    if (id == SAMPLE_ID) {
      return Optional.of(RegistryRecord.SAMPLE.schema());
    }
    return OUTPUT_IDS.entrySet().stream()
        .filter(e -> e.getValue() == id)
        .map(e -> e.getKey().schema())
        .findFirst();
  }

  static ConfluentWire wire() {
    return new ConfluentWire(RegistryFramedSamples::lookup, OUTPUT_IDS, 1000);
  }

  /** A sample in single-object encoding (C3 01, fingerprint, body) framed for the registry. */
  static byte[] frame(byte[] singleObject) {
    byte[] body = Arrays.copyOfRange(singleObject, 10, singleObject.length);
    byte[] framed = new byte[ConfluentFraming.HEADER_BYTES + body.length];
    System.arraycopy(ConfluentFraming.header(SAMPLE_ID), 0, framed, 0, 5);
    System.arraycopy(body, 0, framed, 5, body.length);
    return framed;
  }
}
