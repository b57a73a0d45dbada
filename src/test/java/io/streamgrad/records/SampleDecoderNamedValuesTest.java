package io.streamgrad.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.streamgrad.learn.Sample;
import io.streamgrad.learn.inputs.NamedValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Named Avro samples (Sample v3, features a map) on the decoder's fast path: read field by field
 * into {@link NamedValues}, the keys of the last record shared while they repeat.
 */
class SampleDecoderNamedValuesTest {
  private final SampleDecoder writer = new SampleDecoder();
  private final SampleDecoder decoder = new SampleDecoder();

  private static Map<String, Object> named(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }

  private NamedValues roundTrip(Map<String, Object> named) {
    byte[] bytes = writer.encodeAvro(Sample.named("s", named, new double[] {1}, 0, 1.0));
    return assertInstanceOf(NamedValues.class, decoder.decode(bytes).namedFeatures());
  }

  @Test
  void shouldReadEveryKindOfValueFieldByField() {
    Map<String, Object> named =
        named("amount", -0.0, "country", "FR", "is_new", true, "old", false, "gone", null);
    NamedValues values = roundTrip(named);
    assertEquals(named, values);
    assertEquals(new ArrayList<>(named.keySet()), new ArrayList<>(values.keySet()));
  }

  @Test
  void shouldShareTheKeysOfTheLastRecordWhileTheyRepeat() {
    NamedValues first = roundTrip(named("a", 1.0, "b", 2.0));
    NamedValues second = roundTrip(named("a", 3.0, "b", 4.0));
    assertSame(first.fieldNames(), second.fieldNames());
    assertEquals(named("a", 3.0, "b", 4.0), second);
  }

  @Test
  void shouldMakeNewKeysWhenTheOrderChanges() {
    NamedValues first = roundTrip(named("a", 1.0, "b", 2.0));
    NamedValues second = roundTrip(named("b", 3.0, "a", 4.0));
    assertNotSame(first.fieldNames(), second.fieldNames());
    assertEquals(List.of("b", "a"), new ArrayList<>(second.keySet()));
  }

  @Test
  void shouldMakeNewKeysForFewerFieldsThanTheLastRecord() {
    roundTrip(named("a", 1.0, "b", 2.0, "c", 3.0));
    NamedValues second = roundTrip(named("a", 4.0));
    assertEquals(named("a", 4.0), second);
  }

  @Test
  void shouldReadRecordsOfRandomKeysAndOrdersAsWritten() {
    String[] pool = {"a", "ab", "abc", "b", "amount_in_euros", "é"};
    SplittableRandom random = new SplittableRandom(11);
    for (int r = 0; r < 2_000; r++) {
      Map<String, Object> named = new LinkedHashMap<>();
      int count = random.nextInt(4) == 0 ? random.nextInt(1, 5) : 3;
      for (int f = 0; f < count; f++) {
        String key = random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)] : pool[f];
        named.put(key, random.nextBoolean() ? (Object) random.nextDouble() : "v" + f);
      }
      assertEquals(named, roundTrip(named), named.toString());
    }
  }
}
