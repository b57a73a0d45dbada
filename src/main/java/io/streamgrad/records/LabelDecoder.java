package io.streamgrad.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamgrad.learn.Label;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import io.streamgrad.learn.Sample;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns the bytes of a label record into a {@link Label}: the Avro {@code Label} record in
 * single-object encoding (told from a sample by its schema fingerprint), or the JSON form {@code
 * {"id": "s-17", "label": 2}}, an object with an id and a label and no {@code features}. Labels
 * come on the labels topic, and on the samples topic beside the samples.
 */
public final class LabelDecoder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final byte[] HEADER =
      AvroCodec.singleObjectHeader(io.streamgrad.avro.Label.getClassSchema());

  private final AvroCodec<io.streamgrad.avro.Label> avro =
      new AvroCodec<>(io.streamgrad.avro.Label.getClassSchema());

  /** Not thread-safe, as this decoder is not (one per processor). */
  private final SampleJsonReader json = new SampleJsonReader();

  private ConfluentWire wire = ConfluentWire.none();
  private ConfluentReader<io.streamgrad.avro.Label> confluent = wire.reader(RegistryRecord.LABEL);

  /** Whether each writer schema id seen on the samples topic is a Label's (by its full name). */
  private final Map<Integer, Boolean> labelIds = new HashMap<>();

  /** Reads labels in the Confluent wire format too, with writer schemas from wire's registry. */
  public LabelDecoder readingRegistry(ConfluentWire wire) {
    this.wire = wire;
    this.confluent = wire.reader(RegistryRecord.LABEL);
    labelIds.clear();
    return this;
  }

  /**
   * True when a record of the samples topic is a label in Avro: single-object encoding of the Label
   * schema, or the Confluent wire format under a writer schema named {@code
   * io.streamgrad.avro.Label} (asked of the registry once per id).
   *
   * @throws SchemaUnavailableException when the registry cannot be asked for an id not seen yet
   */
  public boolean isLabel(byte[] bytes) {
    if (isAvroLabel(bytes)) {
      return true;
    }
    if (wire.lookup() == null || !ConfluentFraming.isFramed(bytes)) {
      return false;
    }
    int id = ConfluentFraming.schemaId(bytes);
    Boolean known = labelIds.get(id);
    if (known == null) {
      known =
          wire.lookup()
              .writerSchema(id)
              .map(
                  schema ->
                      schema
                          .getFullName()
                          .equals(io.streamgrad.avro.Label.getClassSchema().getFullName()))
              .orElse(false);
      if (labelIds.size() >= wire.cacheCapacity()) {
        labelIds.clear();
      }
      labelIds.put(id, known);
    }
    return known;
  }

  /** True when the bytes are an Avro Label record (of the current schema's fingerprint). */
  public static boolean isAvroLabel(byte[] bytes) {
    if (bytes == null || bytes.length < HEADER.length) {
      return false;
    }
    for (int i = 0; i < HEADER.length; i++) {
      if (bytes[i] != HEADER[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * A record of the labels topic.
   *
   * @throws RejectedException UNDECODABLE, UNKNOWN_SCHEMA or MALFORMED_JSON when it is not a label
   */
  public Label decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new RejectedException(
          ReasonCode.UNDECODABLE, "empty value: expected an Avro or JSON label");
    }
    if (ConfluentFraming.isFramed(bytes)) {
      return fromAvro(confluent.decode(bytes));
    }
    if (isAvroLabel(bytes)) {
      return readAvro(bytes);
    }
    if (AvroCodec.isSingleObject(bytes)) {
      return fromAvro(avro.decode(bytes));
    }
    Label fast = readFast(bytes);
    if (fast != null) {
      return fast;
    }
    JsonNode root = parse(bytes);
    if (root == null) {
      throw new RejectedException(
          ReasonCode.UNDECODABLE,
          "value starts with neither C3 01 (Avro), 00 (Avro in the Confluent wire format) nor '{' (JSON)");
    }
    return fromJson(root);
  }

  /**
   * The label in a record of the samples topic that is not a sample: a JSON object with a label and
   * no features; null for anything else (which keeps the reason the sample decoder gave it).
   *
   * @throws RejectedException MALFORMED_JSON for such an object whose id or label is unusable
   */
  public Label labelInSamplesTopic(byte[] bytes) {
    Label fast = readFast(bytes);
    if (fast != null) {
      return fast;
    }
    JsonNode root = parse(bytes);
    if (root == null || !root.isObject() || root.has("features") || !root.has("label")) {
      return null;
    }
    return fromJson(root);
  }

  /**
   * A JSON label in the form producers write, read without a tree of nodes (the tree cost more than
   * the label's training step); null for anything the tree path must read or word an error for.
   */
  private Label readFast(byte[] bytes) {
    Sample read = json.readWithoutFeatures(bytes);
    if (read == null || read.label() == null || read.id().isEmpty()) {
      return null;
    }
    return new Label(read.id(), read.label(), read.eventTime());
  }

  /**
   * A record of the current Label schema, read field by field: Avro's generic reader builds the
   * record and a list of boxed doubles, which cost as much as the label's training step at small
   * sizes. A record it cannot read is UNDECODABLE, as through that reader.
   */
  private static Label readAvro(byte[] bytes) {
    try {
      AvroBinaryCursor in = new AvroBinaryCursor(bytes, HEADER.length);
      String id = in.readString();
      double[] label = in.readDoubles();
      long eventTime = in.readLong();
      return new Label(id, label, eventTime);
    } catch (java.io.IOException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new RejectedException(
          ReasonCode.UNDECODABLE, "truncated or corrupt Avro record: " + e, e);
    }
  }

  private static JsonNode parse(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      return null;
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private static Label fromAvro(io.streamgrad.avro.Label record) {
    return new Label(record.getId(), DoubleLists.toArray(record.getLabel()), record.getEventTime());
  }

  /** The Avro Label record of a label, in single-object encoding. */
  public byte[] encodeAvro(Label label) {
    return avro.encode(
        io.streamgrad.avro.Label.newBuilder()
            .setId(label.sampleId())
            .setLabel(DoubleLists.toList(label.value()))
            .setEventTime(label.eventTime())
            .build());
  }

  private static Label fromJson(JsonNode root) {
    if (!root.isObject()) {
      throw new RejectedException(ReasonCode.MALFORMED_JSON, "a label is a JSON object");
    }
    JsonNode id = root.get("id");
    if (id == null || (!id.isTextual() && !id.isNumber()) || id.asText().isEmpty()) {
      throw new RejectedException(
          ReasonCode.MALFORMED_JSON, "a label needs the 'id' of the sample it is for");
    }
    JsonNode value = root.get("label");
    double[] label;
    if (value == null || value.isNull()) {
      throw new RejectedException(
          ReasonCode.MALFORMED_JSON, "label for sample '" + id.asText() + "' has no 'label'");
    } else if (value.isArray()) {
      label = new double[value.size()];
      for (int k = 0; k < label.length; k++) {
        label[k] = SampleJson.number(value.get(k), "label[" + k + "]");
      }
    } else {
      label = new double[] {SampleJson.number(value, "label")};
    }
    return new Label(id.asText(), label, root.path("event_time").asLong(0));
  }
}
