package io.streamgrad.learn.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Murmur3Test {
  private static int hash(String text, int seed) {
    return Murmur3.hash32(text.getBytes(StandardCharsets.UTF_8), seed);
  }

  @Test
  void shouldGiveTheReferenceHashesOfTheEmptyInput() {
    assertEquals(0, hash("", 0));
    assertEquals(0x514E28B7, hash("", 1));
    assertEquals(0x81F16F39, hash("", 0xffffffff));
  }

  @Test
  void shouldGiveTheReferenceHashesOfEveryTailLength() {
    int seed = 0x9747b28c;
    assertEquals(0x7FA09EA6, hash("a", seed));
    assertEquals(0x74875592, hash("ab", seed));
    assertEquals(0xC84A62DD, hash("abc", seed));
    assertEquals(0x5A97808A, hash("aaaa", seed));
    assertEquals(0x24884CBA, hash("Hello, world!", seed));
    assertEquals(0x2FA826CD, hash("The quick brown fox jumps over the lazy dog", seed));
  }

  @Test
  void shouldGiveWhatPythonsMmh3GivesWithSeedZero() {
    // mmh3.hash("foo") == -156908512, as mmh3's documentation shows.
    assertEquals(-156908512, hash("foo", Murmur3.SEED));
  }

  @Test
  void shouldPutAValueInTheUnsignedHashModuloTheBuckets() {
    // 2^32 - 156908512 = 4138058784 = 64 * 64657168 + 32
    assertEquals(32, Murmur3.slot("foo", 64));
    assertEquals(4138058784L % 1000, Murmur3.slot("foo", 1000));
  }

  @Test
  void shouldHashTheUtf8BytesOfAValue() {
    assertEquals(
        Murmur3.hash32(new byte[] {(byte) 0xC3, (byte) 0xA9}, 0), hash("\u00e9", 0), "é is C3 A9");
  }
}
