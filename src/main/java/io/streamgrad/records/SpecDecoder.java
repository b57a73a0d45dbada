package io.streamgrad.records;

import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.ReasonCode;
import io.streamgrad.learn.RejectedException;
import java.nio.charset.StandardCharsets;

/**
 * Turns a record of the models topic into a {@link ModelSpec}: the Avro ModelSpec record (single
 * object encoding, or the Confluent wire format) or the model file's JSON text. The spec's model
 * field must equal the key.
 */
public final class SpecDecoder {
  private final AvroCodec<io.streamgrad.avro.ModelSpec> avro =
      new AvroCodec<>(io.streamgrad.avro.ModelSpec.getClassSchema());

  /** Specs in the Confluent wire format: rejected until {@link #readingRegistry} is called. */
  private ConfluentReader<io.streamgrad.avro.ModelSpec> confluent =
      ConfluentWire.none().reader(RegistryRecord.MODEL_SPEC);

  /**
   * Reads specs in the Confluent wire format too, with writer schemas from the registry of wire.
   */
  public SpecDecoder readingRegistry(ConfluentWire wire) {
    this.confluent = wire.reader(RegistryRecord.MODEL_SPEC);
    return this;
  }

  public ModelSpec decode(String key, byte[] bytes) {
    String json;
    if (AvroCodec.isSingleObject(bytes)) {
      json = avro.decode(bytes).getModelFile();
    } else if (ConfluentFraming.isFramed(bytes)) {
      json = confluent.decode(bytes).getModelFile();
    } else {
      json = new String(bytes, StandardCharsets.UTF_8);
    }
    ModelSpec spec;
    try {
      spec = ModelFile.parse(json);
    } catch (IllegalArgumentException e) {
      throw new RejectedException(
          ReasonCode.INVALID_SPEC, "spec for model '" + key + "': " + e.getMessage());
    }
    if (!key.equals(spec.model())) {
      throw new RejectedException(
          ReasonCode.INVALID_SPEC,
          "the spec's model field '" + spec.model() + "' differs from its key '" + key + "'");
    }
    return spec;
  }

  public byte[] encodeAvro(ModelSpec spec, String modelFileJson) {
    return avro.encode(
        io.streamgrad.avro.ModelSpec.newBuilder()
            .setModel(spec.model())
            .setModelFile(modelFileJson)
            .build());
  }
}
