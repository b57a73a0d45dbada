package io.streamgrad.learn.inputs;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash3 x86_32 (Austin Appleby's reference, public domain) of a string's UTF-8 bytes: the
 * function that puts a category of a {@code hash_buckets} input in its slot. Chosen because every
 * language has it (Python's {@code mmh3.hash(value, 0, signed=False)}, Guava's {@code
 * murmur3_32_fixed}, scikit-learn's {@code murmurhash3_32}), so a producer can compute the slot of
 * a value without Streamgrad.
 */
public final class Murmur3 {
  /** The seed of every hashed input: fixed, so that a slot never depends on the model. */
  public static final int SEED = 0;

  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private Murmur3() {}

  /** The slot of value among buckets: the unsigned hash modulo buckets. */
  public static int slot(String value, int buckets) {
    return (int)
        (Integer.toUnsignedLong(hash32(value.getBytes(StandardCharsets.UTF_8), SEED)) % buckets);
  }

  /** MurmurHash3 x86_32 of data with the given seed, as a signed int. */
  public static int hash32(byte[] data, int seed) {
    int h = seed;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int at = 4 * i;
      int k =
          (data[at] & 0xff)
              | (data[at + 1] & 0xff) << 8
              | (data[at + 2] & 0xff) << 16
              | (data[at + 3] & 0xff) << 24;
      h ^= mixK(k);
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int tail = 4 * blocks;
    int k = 0;
    switch (data.length & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        k ^= data[tail] & 0xff;
        h ^= mixK(k);
        break;
      default:
        break;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  private static int mixK(int k) {
    k *= C1;
    k = Integer.rotateLeft(k, 15);
    return k * C2;
  }
}
