package io.streamgrad.service;

/** The schema registry did not answer at start, while the configuration needs it: exit code 3. */
public final class SchemaRegistryUnreachable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SchemaRegistryUnreachable(String message, Throwable cause) {
    super(message, cause);
  }
}
