package io.streamgrad.learn;

/**
 * Why a record could not be used. The names are part of the dead-letter contract (docs/topics.md,
 * "Reason codes"): operators filter on them, so add codes freely but never rename one.
 */
public enum ReasonCode {
  /** Bytes that are neither Avro single-object encoding nor JSON, or an empty value. */
  UNDECODABLE,
  /** Avro single-object encoding with a schema fingerprint this version does not know. */
  UNKNOWN_SCHEMA,
  /** Starts like JSON but does not parse, or lacks a required field. */
  MALFORMED_JSON,
  /** A record without a key: the key names the model. */
  NULL_KEY,
  /**
   * No spec for the model and no default spec configured, and the sample could not wait for one
   * (waiting is off, the waiting room is full, or the wait ran out).
   */
  UNKNOWN_MODEL,
  /** Features count differs from the model's inputs. */
  WRONG_FEATURE_COUNT,
  /**
   * A named input the model cannot take: a string where a number is declared, a value outside a
   * closed vocabulary, a missing input whose policy is reject, a field no input names under {@code
   * strict_inputs}, an array for a model with categorical inputs. The message names the input.
   */
  BAD_INPUT,
  /** A feature that is NaN or infinite. */
  NON_FINITE_FEATURE,
  /** A label that is NaN or infinite. */
  NON_FINITE_LABEL,
  /**
   * A label the loss cannot take: class out of range, bce outside [0, 1], hinge not ±1, wrong
   * count.
   */
  BAD_LABEL,
  /** A sample weight that is negative, NaN or infinite. */
  BAD_WEIGHT,
  /** A model spec that is inconsistent or whose key and model field disagree. */
  INVALID_SPEC,
  /** A record larger than the configured limit. */
  RECORD_TOO_LARGE,
  /** A line of a CSV file that does not parse, or a value in it that is not a number. */
  MALFORMED_CSV,
  /**
   * A spec with the version of the model it would replace but a different content: it is not
   * applied (the same version again never resets a learning model). Bump the version to replace the
   * model.
   */
  SPEC_VERSION_CONFLICT,
  /**
   * Confluent wire format (magic byte 0) with a schema id the schema registry does not know, or
   * while no registry is configured.
   */
  UNKNOWN_SCHEMA_ID,
  /**
   * Confluent wire format whose writer schema, from the registry, cannot be resolved against ours
   * (a field without a default that ours needs, a type that does not promote), or is no Avro
   * schema.
   */
  UNRESOLVABLE_SCHEMA,
  /**
   * Reserved for a failure while processing that is not the record's fault. Not written: such a
   * failure aborts the transaction, the stream thread is replaced and the record is processed
   * again.
   */
  PROCESSING_ERROR,
  /**
   * A label whose sample is not pending for its model: already labelled, expired after the model's
   * label_wait_ms, served by another spec version, for a model that does not wait for labels, or
   * (after waiting label_wait_ms for it) a sample never seen or dropped from a full pending store.
   * The message says which.
   */
  LABEL_NOT_PENDING
}
