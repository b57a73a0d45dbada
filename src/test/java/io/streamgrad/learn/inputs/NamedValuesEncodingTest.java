package io.streamgrad.learn.inputs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.streamgrad.learn.inputs.InputSpec.Missing;
import io.streamgrad.learn.inputs.InputSpec.Scale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The preprocessor's field-by-field path ({@link NamedValues}, what the fast readers give) against
 * its map path (what the tree, CSV and generic Avro readers give): the same vectors to the bit, the
 * same statistics, the same errors.
 */
class NamedValuesEncodingTest {
  private static final List<InputSpec> INPUTS =
      List.of(
          new InputSpec(
              "amount", InputSpec.Type.NUMERIC, Scale.STANDARD, null, 0, Missing.MEAN, false),
          new InputSpec(
              "ratio", InputSpec.Type.NUMERIC, Scale.MINMAX, null, 0, Missing.REJECT, false),
          new InputSpec(
              "country",
              InputSpec.Type.CATEGORICAL,
              Scale.NONE,
              List.of("FR", "DE", "US"),
              0,
              Missing.ZERO,
              true),
          new InputSpec(
              "merchant", InputSpec.Type.CATEGORICAL, Scale.NONE, null, 8, Missing.ZERO, false),
          new InputSpec(
              "is_new", InputSpec.Type.BOOLEAN, Scale.NONE, null, 0, Missing.ZERO, false));

  private static Preprocessor preprocessor(boolean strict) {
    return new Preprocessor(new Preprocessing(INPUTS, strict, false, false, null), 1);
  }

  /** Alternating names and values, as one record gives them. */
  private static Object[] record(Object... pairs) {
    return pairs;
  }

  private static Map<String, Object> asMap(Object[] record) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < record.length; i += 2) {
      map.put((String) record[i], record[i + 1]);
    }
    return map;
  }

  /** The record as a fast reader gives it, sharing names with the last record when they repeat. */
  private static final class Reader {
    private final NamedValues.Builder builder = new NamedValues.Builder();
    private FieldNames last;

    Map<String, Object> read(Object[] record) {
      builder.clear();
      String[] names = new String[record.length / 2];
      for (int i = 0; i < record.length; i += 2) {
        names[i / 2] = (String) record[i];
        Object value = record[i + 1];
        if (value == null) {
          builder.addNull();
        } else if (value instanceof Double d) {
          builder.addNumber(d);
        } else if (value instanceof Boolean b) {
          builder.addBoolean(b);
        } else {
          builder.addText((String) value);
        }
      }
      if (last == null || !List.of(names).equals(names(last))) {
        last = FieldNames.of(names, names.length);
      }
      return builder.build(last);
    }

    private static List<String> names(FieldNames names) {
      String[] all = new String[names.size()];
      for (int f = 0; f < all.length; f++) {
        all[f] = names.get(f);
      }
      return List.of(all);
    }
  }

  private static long[] bits(double[] values) {
    long[] bits = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Double.doubleToRawLongBits(values[i]);
    }
    return bits;
  }

  /** Encodes and takes in every record both ways, asserting the same vectors and statistics. */
  private static void assertSameAsMap(boolean strict, Object[]... records) {
    Preprocessor byMap = preprocessor(strict);
    Preprocessor byField = preprocessor(strict);
    Reader reader = new Reader();
    for (Object[] record : records) {
      Map<String, Object> values = reader.read(record);
      assertEquals(NamedValues.class, values.getClass());
      assertArrayEquals(bits(byMap.encode(asMap(record))), bits(byField.encode(values)));
      byMap.takeIn();
      byField.takeIn();
    }
    assertArrayEquals(bits(byMap.state()), bits(byField.state()));
  }

  /** Encodes the record both ways, asserting the same error; gives the field path's. */
  private static InputException assertSameError(boolean strict, Object[] record) {
    InputException byMap =
        assertThrows(InputException.class, () -> preprocessor(strict).encode(asMap(record)));
    InputException byField =
        assertThrows(
            InputException.class, () -> preprocessor(strict).encode(new Reader().read(record)));
    assertEquals(byMap.kind(), byField.kind());
    assertEquals(byMap.getMessage(), byField.getMessage());
    return byField;
  }

  @Test
  void shouldEncodeEveryKindOfInputToTheBitsOfTheMapPath() {
    assertSameAsMap(
        false,
        record("amount", 120.5, "ratio", 0.25, "country", "FR", "merchant", "m-7", "is_new", true),
        record("amount", 3e5, "ratio", 0.75, "country", "US", "merchant", "m-9", "is_new", false),
        record("amount", -7.0, "ratio", 0.5, "country", "DE", "merchant", "m-7", "is_new", 1.0),
        record("amount", 0.1, "ratio", 1e-3, "country", "FR", "merchant", 42.0, "is_new", 0.0));
  }

  @Test
  void shouldFindEachInputInItsFieldWhenTheOrderChangesBetweenRecords() {
    assertSameAsMap(
        false,
        record("amount", 1.0, "ratio", 0.1, "country", "FR", "merchant", "a", "is_new", true),
        record("is_new", false, "merchant", "b", "country", "DE", "ratio", 0.2, "amount", 2.0),
        record("amount", 3.0, "ratio", 0.3, "country", "US", "merchant", "c", "is_new", true));
  }

  @Test
  void shouldGiveAnInputNoFieldHoldsItsMissingPolicy() {
    assertSameAsMap(
        false,
        record("amount", 10.0, "ratio", 0.1, "country", "FR"),
        record("amount", 20.0, "ratio", 0.2, "country", "FR"),
        record("ratio", 0.3, "country", "DE"));
  }

  @Test
  void shouldGiveAnInputWhoseFieldIsNullItsMissingPolicy() {
    assertSameAsMap(
        false,
        record("amount", 10.0, "ratio", 0.1, "country", null, "is_new", null),
        record("amount", null, "ratio", 0.2, "country", "US", "is_new", true));
  }

  @Test
  void shouldCountTheFieldsNoInputNamesAsTheMapPathDoes() {
    Preprocessor p = preprocessor(false);
    p.encode(new Reader().read(record("amount", 1.0, "ratio", 0.1, "extra", 5.0, "more", "x")));
    p.takeIn();
    assertEquals(2, p.unnamedFields());
  }

  @Test
  void shouldRefuseTheFirstFieldNoInputNamesUnderStrictInputs() {
    InputException e =
        assertSameError(true, record("amount", 1.0, "extra", 5.0, "ratio", 0.1, "more", "x"));
    assertEquals("field 'extra' is not an input of the model (strict_inputs)", e.getMessage());
  }

  @Test
  void shouldRefuseAStringWhereANumberIsDeclaredNamingTheInput() {
    InputException e = assertSameError(false, record("amount", "12", "ratio", 0.1));
    assertEquals(InputException.Kind.BAD_INPUT, e.kind());
    assertEquals("input 'amount' is numeric, got the string \"12\"", e.getMessage());
  }

  @Test
  void shouldRefuseANonFiniteNumberNamingTheInput() {
    InputException e = assertSameError(false, record("amount", Double.NaN, "ratio", 0.1));
    assertEquals(InputException.Kind.NON_FINITE, e.kind());
    assertEquals("input 'amount' is NaN", e.getMessage());
  }

  @Test
  void shouldRefuseAMissingRequiredInputNamingIt() {
    InputException e = assertSameError(false, record("amount", 1.0, "country", "FR"));
    assertEquals("input 'ratio' is missing (its \"missing\" policy is reject)", e.getMessage());
  }

  @Test
  void shouldRefuseAValueOutsideAClosedVocabularyNamingTheInput() {
    InputException e = assertSameError(false, record("ratio", 0.1, "country", "IT"));
    assertEquals(
        "input 'country': 'IT' is not one of its values (\"unknown\": \"reject\")", e.getMessage());
  }
}
