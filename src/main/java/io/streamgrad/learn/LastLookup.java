package io.streamgrad.learn;

import java.util.function.Function;

/**
 * The value of the last key looked up, kept until a different key comes: records of one model
 * arrive in runs (a partition holds few models, and producers send a model's samples together), so
 * a run pays for one lookup instead of one per record. The stream's processor turns each run of
 * equal key bytes into one model id String and passes that same instance on, which is why keys are
 * compared by identity, the cheapest test there is.
 *
 * <p>The rules that keep it correct: an equal key in another instance only misses (identity is
 * never a condition of correctness, only of speed), and whoever changes what the lookup would
 * return calls {@link #forget()} before the next {@link #get}.
 */
public final class LastLookup<K, V> {
  private final Function<K, V> lookup;
  private K lastKey;
  private V lastValue;

  public LastLookup(Function<K, V> lookup) {
    this.lookup = lookup;
  }

  public V get(K key) {
    if (key != lastKey) {
      lastValue = lookup.apply(key);
      lastKey = key;
    }
    return lastValue;
  }

  public void forget() {
    lastKey = null;
    lastValue = null;
  }
}
