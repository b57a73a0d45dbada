package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.streamgrad.learn.Sample;
import io.streamgrad.learn.inputs.NamedValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Named features on the reader's fast path: read field by field into {@link NamedValues}, with the
 * field names of the last record shared while they repeat and made again when they do not.
 */
class SampleJsonReaderNamedValuesTest {
  private final SampleJsonReader reader = new SampleJsonReader();

  private Sample read(String features) {
    byte[] bytes =
        ("{\"id\": \"s\", \"features\": " + features + ", \"label\": 1}")
            .getBytes(StandardCharsets.UTF_8);
    return reader.read(bytes, 0, bytes.length);
  }

  private static Map<String, Object> tree(String features) {
    return SampleJson.parse("{\"id\": \"s\", \"features\": " + features + ", \"label\": 1}")
        .namedFeatures();
  }

  private static NamedValues values(Sample sample) {
    return assertInstanceOf(NamedValues.class, sample.namedFeatures());
  }

  @Test
  void shouldReadNamedFeaturesFieldByField() {
    String features = "{\"amount\": 120.5, \"country\": \"FR\", \"is_new\": true, \"gone\": null}";
    NamedValues values = values(read(features));
    assertEquals(tree(features), values);
    assertEquals(List.of("amount", "country", "is_new", "gone"), new ArrayList<>(values.keySet()));
  }

  @Test
  void shouldShareTheFieldNamesOfTheLastRecordWhileTheyRepeat() {
    NamedValues first = values(read("{\"a\": 1, \"b\": 2}"));
    NamedValues second = values(read("{\"a\": 3, \"b\": 4}"));
    assertSame(first.fieldNames(), second.fieldNames());
    assertEquals(Map.of("a", 3.0, "b", 4.0), second);
  }

  @Test
  void shouldMakeNewFieldNamesWhenTheOrderChanges() {
    NamedValues first = values(read("{\"a\": 1, \"b\": 2}"));
    NamedValues second = values(read("{\"b\": 3, \"a\": 4}"));
    assertNotSame(first.fieldNames(), second.fieldNames());
    assertEquals(List.of("b", "a"), new ArrayList<>(second.keySet()));
    assertEquals(tree("{\"b\": 3, \"a\": 4}"), second);
  }

  @Test
  void shouldMakeNewFieldNamesForFewerFieldsThanTheLastRecord() {
    read("{\"a\": 1, \"b\": 2, \"c\": 3}");
    NamedValues second = values(read("{\"a\": 4, \"b\": 5}"));
    assertEquals(2, second.fieldNames().size());
    assertEquals(tree("{\"a\": 4, \"b\": 5}"), second);
  }

  @Test
  void shouldMakeNewFieldNamesForANameThatIsAPrefixOfTheLastOne() {
    read("{\"amount\": 1}");
    NamedValues second = values(read("{\"amoun\": 2}"));
    assertEquals(List.of("amoun"), new ArrayList<>(second.keySet()));
  }

  @Test
  void shouldShareLongFieldNamesThatRepeat() {
    NamedValues first = values(read("{\"amount_in_euros_per_month\": 1, \"b\": 2}"));
    NamedValues second = values(read("{\"amount_in_euros_per_month\": 3, \"b\": 4}"));
    assertSame(first.fieldNames(), second.fieldNames());
  }

  @Test
  void shouldTellApartLongNamesThatDifferAfterTheirFirstEightBytes() {
    read("{\"amount_in_euros\": 1}");
    NamedValues second = values(read("{\"amount_in_dollars\": 2}"));
    assertEquals(List.of("amount_in_dollars"), new ArrayList<>(second.keySet()));
  }

  @Test
  void shouldShareTheFieldNamesOfANameNearTheEndOfTheRecord() {
    byte[] first = "{\"label\": 1, \"features\": {\"a\": 1}}".getBytes(StandardCharsets.UTF_8);
    byte[] second = "{\"label\": 1, \"features\": {\"a\": 2}}".getBytes(StandardCharsets.UTF_8);
    NamedValues one = values(reader.read(first, 0, first.length));
    NamedValues two = values(reader.read(second, 0, second.length));
    assertSame(one.fieldNames(), two.fieldNames());
    assertEquals(Map.of("a", 2.0), two);
  }

  @Test
  void shouldNotReuseNamesOfARecordThatLeftTheFastPathHalfWay() {
    read("{\"a\": 1, \"b\": 2}");
    assertNull(read("{\"a\": 1, \"c\": [3]}"));
    NamedValues third = values(read("{\"a\": 4, \"c\": 5}"));
    assertEquals(List.of("a", "c"), new ArrayList<>(third.keySet()));
    assertEquals(tree("{\"a\": 4, \"c\": 5}"), third);
  }

  @Test
  void shouldReadRecordsOfRandomFieldsAndOrdersAsTheTreeDoes() {
    String[] pool = {"a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "abcdefgh_long_name_2", "b"};
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int r = 0; r < 2_000; r++) {
      StringBuilder features = new StringBuilder("{");
      int count = random.nextInt(4) == 0 ? random.nextInt(1, 5) : 3;
      for (int f = 0; f < count; f++) {
        String name = random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)] : pool[f];
        features.append(f > 0 ? ", " : "").append('"').append(name).append("\": ");
        features.append(random.nextBoolean() ? random.nextDouble() : "\"v" + f + "\"");
      }
      String text = features.append('}').toString();
      Sample sample = random.nextBoolean() ? read(text) : readLast(text);
      assertEquals(tree(text), sample.namedFeatures(), text);
    }
  }

  /** The features as the record's last field, so that its last names end near the record's end. */
  private Sample readLast(String features) {
    byte[] bytes =
        ("{\"id\": \"s\", \"features\": " + features + "}").getBytes(StandardCharsets.UTF_8);
    return reader.read(bytes, 0, bytes.length);
  }

  @Test
  void shouldKeepTheLastValueOfANameGivenTwiceAsTheTreeDoes() {
    String features = "{\"a\": 1, \"b\": 2, \"a\": \"two\"}";
    Map<String, Object> named = read(features).namedFeatures();
    assertInstanceOf(LinkedHashMap.class, named);
    assertEquals(tree(features), named);
    assertEquals(List.of("a", "b"), new ArrayList<>(named.keySet()));
  }

  @Test
  void shouldReadTheSameFieldsAgainAfterARecordOfDuplicatedNames() {
    read("{\"a\": 1, \"a\": 2}");
    NamedValues second = values(read("{\"a\": 3, \"b\": 4}"));
    assertEquals(tree("{\"a\": 3, \"b\": 4}"), second);
  }
}
