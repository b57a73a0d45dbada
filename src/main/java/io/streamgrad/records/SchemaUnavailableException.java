package io.streamgrad.records;

/**
 * The schema registry could not be asked for a writer schema that no cache holds: the record is not
 * at fault. It is not dead-lettered; its processing is aborted and done again once the registry
 * answers (docs/schema-registry.md, "When the registry is down").
 */
public final class SchemaUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int schemaId;

  public SchemaUnavailableException(int schemaId, String message, Throwable cause) {
    super(message, cause);
    this.schemaId = schemaId;
  }

  /** The id whose schema was needed. */
  public int schemaId() {
    return schemaId;
  }
}
