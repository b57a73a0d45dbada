package io.streamgrad.records;

import java.util.Locale;
import org.apache.avro.Schema;

/**
 * Under which registry subject a record value's schema is registered, as Confluent's serializers
 * name them: {@code topic} ({@code <topic>-value}, their default), {@code record} (the record's
 * full name, one subject for the type on every topic) or {@code topic_record} ({@code <topic>-<full
 * name>}).
 */
public enum SubjectNameStrategy {
  TOPIC,
  RECORD,
  TOPIC_RECORD;

  public String subject(String topic, Schema schema) {
    return switch (this) {
      case TOPIC -> topic + "-value";
      case RECORD -> schema.getFullName();
      case TOPIC_RECORD -> topic + "-" + schema.getFullName();
    };
  }

  /** The setting's value: topic, record or topic_record. */
  public String settingValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
