package io.streamgrad.learn.inputs;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A named sample's values field by field, numbers as plain doubles, beside its shared {@link
 * FieldNames}: what the fast readers make of a named record, so that the learner's {@link
 * Preprocessor} takes each input's value from its field with neither a map lookup nor a boxed
 * number. Everything else reads it as the map every named sample is (names to Double, String,
 * Boolean or null, in the record's order), equal to the map the other readers build for the same
 * record. Read-only; the reader fills one {@link Builder} per record and hands out a copy.
 */
public final class NamedValues extends AbstractMap<String, Object> {
  static final byte NULL = 0;
  static final byte NUMBER = 1;
  static final byte TEXT = 2;
  static final byte FALSE = 3;
  static final byte TRUE = 4;

  final FieldNames names;
  final byte[] kinds;
  final double[] numbers;

  /** The strings by field, or null when the record has none. */
  final String[] texts;

  private NamedValues(FieldNames names, byte[] kinds, double[] numbers, String[] texts) {
    this.names = names;
    this.kinds = kinds;
    this.numbers = numbers;
    this.texts = texts;
  }

  /** The names of the fields, shared with the records that give the same ones in the same order. */
  public FieldNames fieldNames() {
    return names;
  }

  /** The field-th value as the map gives it: Double, String, Boolean or null. */
  Object value(int field) {
    return switch (kinds[field]) {
      case NUMBER -> numbers[field];
      case TEXT -> texts[field];
      case FALSE -> Boolean.FALSE;
      case TRUE -> Boolean.TRUE;
      default -> null;
    };
  }

  @Override
  public int size() {
    return kinds.length;
  }

  @Override
  public boolean containsKey(Object key) {
    return names.indexOf(key) >= 0;
  }

  @Override
  public Object get(Object key) {
    int field = names.indexOf(key);
    return field < 0 ? null : value(field);
  }

  @Override
  public Set<Map.Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return kinds.length;
      }

      @Override
      public Iterator<Map.Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int field;

          @Override
          public boolean hasNext() {
            return field < kinds.length;
          }

          @Override
          public Map.Entry<String, Object> next() {
            if (field >= kinds.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, Object> entry =
                new AbstractMap.SimpleImmutableEntry<>(names.get(field), value(field));
            field++;
            return entry;
          }
        };
      }
    };
  }

  /**
   * One record's values as a reader meets them, field by field; filled again for each record. Not
   * thread-safe.
   */
  public static final class Builder {
    private byte[] kinds = new byte[16];
    private double[] numbers = new double[16];
    private String[] texts = new String[16];
    private int size;
    private boolean anyText;

    /** Starts a new record. */
    public void clear() {
      if (anyText) {
        Arrays.fill(texts, 0, size, null);
      }
      size = 0;
      anyText = false;
    }

    /** The fields added since {@link #clear}. */
    public int size() {
      return size;
    }

    public void addNumber(double value) {
      int field = grow();
      kinds[field] = NUMBER;
      numbers[field] = value;
    }

    public void addText(String value) {
      int field = grow();
      kinds[field] = TEXT;
      texts[field] = value;
      anyText = true;
    }

    public void addBoolean(boolean value) {
      kinds[grow()] = value ? TRUE : FALSE;
    }

    public void addNull() {
      kinds[grow()] = NULL;
    }

    private int grow() {
      if (size == kinds.length) {
        int length = 2 * size;
        kinds = Arrays.copyOf(kinds, length);
        numbers = Arrays.copyOf(numbers, length);
        texts = Arrays.copyOf(texts, length);
      }
      return size++;
    }

    /**
     * The values added, under these names (one per value): a {@link NamedValues}, or for names
     * given twice a map that keeps the last value of each, in the order of its first appearance.
     */
    public Map<String, Object> build(FieldNames names) {
      if (names.size() != size) {
        throw new IllegalArgumentException(
            names.size() + " names for " + size + " values of a named sample");
      }
      NamedValues values =
          new NamedValues(
              names,
              Arrays.copyOf(kinds, size),
              Arrays.copyOf(numbers, size),
              anyText ? Arrays.copyOf(texts, size) : null);
      return names.duplicated() ? new LinkedHashMap<>(values) : values;
    }
  }
}
