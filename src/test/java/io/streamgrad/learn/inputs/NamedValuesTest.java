package io.streamgrad.learn.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NamedValuesTest {
  private static Map<String, Object> fourFields() {
    NamedValues.Builder builder = new NamedValues.Builder();
    builder.addNumber(-0.0);
    builder.addText("FR");
    builder.addBoolean(true);
    builder.addNull();
    return builder.build(FieldNames.of(new String[] {"amount", "country", "is_new", "gone"}, 4));
  }

  @Test
  void shouldEqualTheMapOfTheSameValuesInTheSameOrder() {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("amount", -0.0);
    expected.put("country", "FR");
    expected.put("is_new", true);
    expected.put("gone", null);
    Map<String, Object> values = fourFields();
    assertEquals(expected, values);
    assertEquals(values, expected);
    assertEquals(expected.hashCode(), values.hashCode());
    assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(values.keySet()));
  }

  @Test
  void shouldNotEqualAMapWhoseNumberDiffersInItsSignOfZero() {
    Map<String, Object> other = new LinkedHashMap<>(fourFields());
    other.put("amount", 0.0);
    assertFalse(fourFields().equals(other));
  }

  @Test
  void shouldContainANameWhoseValueIsNull() {
    Map<String, Object> values = fourFields();
    assertTrue(values.containsKey("gone"));
    assertNull(values.get("gone"));
    assertFalse(values.containsKey("absent"));
  }

  @Test
  void shouldKeepTheLastValueOfANameGivenTwiceInAPlainMap() {
    NamedValues.Builder builder = new NamedValues.Builder();
    builder.addNumber(1);
    builder.addNumber(2);
    builder.addText("two");
    Map<String, Object> values = builder.build(FieldNames.of(new String[] {"a", "b", "a"}, 3));
    assertInstanceOf(LinkedHashMap.class, values);
    assertEquals(List.of("a", "b"), new ArrayList<>(values.keySet()));
    assertEquals("two", values.get("a"));
  }

  @Test
  void shouldStartEachRecordEmpty() {
    NamedValues.Builder builder = new NamedValues.Builder();
    builder.addText("old");
    builder.addNumber(1);
    builder.clear();
    builder.addNumber(2);
    Map<String, Object> values = builder.build(FieldNames.of(new String[] {"x"}, 1));
    assertEquals(Map.of("x", 2.0), values);
  }

  @Test
  void shouldRefuseNamesOfAnotherCountThanTheValues() {
    NamedValues.Builder builder = new NamedValues.Builder();
    builder.addNumber(1);
    assertThrows(
        IllegalArgumentException.class,
        () -> builder.build(FieldNames.of(new String[] {"a", "b"}, 2)));
  }

  @Test
  void shouldRefuseChanges() {
    assertThrows(UnsupportedOperationException.class, () -> fourFields().put("x", 1.0));
  }
}
