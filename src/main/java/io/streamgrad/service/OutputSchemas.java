package io.streamgrad.service;

import io.streamgrad.records.RegistryRecord;
import io.streamgrad.stream.StreamSettings;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Registers our output schemas at start under {@code output.format=confluent-avro}, each under the
 * subject its topic and the subject name strategy give, and returns the ids to frame the records
 * with. A subject that refuses our schema (incompatible with what it holds) stops the start with a
 * message saying which and what to do: writing on would leave its readers unable to read.
 */
final class OutputSchemas {
  /** Each output type and its topic. A new output type is one line here. */
  private static final Map<RegistryRecord, Function<StreamSettings, String>> TOPICS =
      new LinkedHashMap<>();

  static {
    TOPICS.put(RegistryRecord.PREDICTION, StreamSettings::predictionsTopic);
    TOPICS.put(RegistryRecord.LOSS_REPORT, StreamSettings::lossTopic);
    TOPICS.put(RegistryRecord.EVENT, StreamSettings::eventsTopic);
    TOPICS.put(RegistryRecord.DEAD_LETTER, StreamSettings::deadLettersTopic);
    TOPICS.put(RegistryRecord.OUTCOME, stream -> stream.labels().outcomesTopic());
  }

  private OutputSchemas() {}

  static Map<RegistryRecord, Integer> register(
      SchemaRegistryClient client,
      SchemaRegistrySettings settings,
      StreamSettings stream,
      PrintStream log) {
    Map<RegistryRecord, Integer> ids = new EnumMap<>(RegistryRecord.class);
    for (var entry : TOPICS.entrySet()) {
      RegistryRecord type = entry.getKey();
      String subject =
          settings.subjectNameStrategy().subject(entry.getValue().apply(stream), type.schema());
      try {
        ids.put(type, client.register(subject, type.schema()));
      } catch (SchemaRegistryClient.Refused e) {
        throw new Configuration.InvalidSetting(
            e.getMessage()
                + ". The subject holds a schema ours is not compatible with under its"
                + " compatibility rule: give our outputs their own subjects (another topic, or"
                + " schema.registry.subject.name.strategy), or change the subject's compatibility"
                + " in the registry");
      }
      log.println(
          "schema registry: "
              + type.schema().getFullName()
              + " is id "
              + ids.get(type)
              + " under subject "
              + subject);
    }
    return ids;
  }
}
