package io.streamgrad.learn.inputs;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The names of a named sample's fields in the order its record gives them, shared by every record
 * that names the same fields in the same order: a producer writes its fields in one order, so a
 * reader keeps one instance while the order repeats, and a {@link Preprocessor} resolves which
 * field holds which input once per instance, not once per record. Immutable.
 */
public final class FieldNames {
  private final String[] names;
  private final boolean duplicated;

  private FieldNames(String[] names) {
    this.names = names;
    Set<String> distinct = new HashSet<>(List.of(names));
    this.duplicated = distinct.size() != names.length;
  }

  /** The first count names, copied. */
  public static FieldNames of(String[] names, int count) {
    return new FieldNames(Arrays.copyOf(names, count));
  }

  public int size() {
    return names.length;
  }

  /** The field-th name. */
  public String get(int field) {
    return names[field];
  }

  /**
   * True when a name is given twice: such a record's values are kept in a map (the last value of a
   * name wins, as in every other reader), not by field.
   */
  public boolean duplicated() {
    return duplicated;
  }

  /** The field of this name, or -1. */
  int indexOf(Object name) {
    for (int f = 0; f < names.length; f++) {
      if (names[f].equals(name)) {
        return f;
      }
    }
    return -1;
  }
}
