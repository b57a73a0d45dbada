package io.streamgrad.records;

import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Finds a writer schema by its schema registry id. The records layer decodes with it and knows no
 * HTTP: the service implements it with its registry client, tests with what they need.
 */
@FunctionalInterface
public interface SchemaLookup {
  /**
   * The Avro schema registered under id, or empty when the registry knows no such id.
   *
   * @throws SchemaUnavailableException when the registry cannot be asked now: the record is good,
   *     and must be processed again later, never dead-lettered
   * @throws IllegalArgumentException when the registry holds something under id that is no Avro
   *     schema
   */
  Optional<Schema> writerSchema(int id);
}
