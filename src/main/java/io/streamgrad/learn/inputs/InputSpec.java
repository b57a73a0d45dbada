package io.streamgrad.learn.inputs;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * One named input of a model file's {@code inputs}: its name in the samples, its type and how it
 * becomes numbers for the network (docs/model-file.md, "Inputs").
 *
 * @param values a categorical input's vocabulary (one slot each), or empty
 * @param hashBuckets a hashed categorical input's slot count, or 0
 * @param rejectUnknown for a vocabulary: a value not in it is refused ({@code "unknown": "reject"})
 *     instead of taking the slot for unknown values
 */
public record InputSpec(
    String name,
    Type type,
    Scale scale,
    List<String> values,
    int hashBuckets,
    Missing missing,
    boolean rejectUnknown) {

  /** What kind of value the input holds. */
  public enum Type {
    NUMERIC,
    CATEGORICAL,
    BOOLEAN;

    public String fileName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How a numeric input is scaled, from the running statistics of the samples before. */
  public enum Scale {
    NONE,
    STANDARD,
    MINMAX;

    public String fileName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What an absent or null value gets. */
  public enum Missing {
    /** The input's slots are 0. */
    ZERO,
    /** The running mean (for a category: the running frequency of each slot), then scaled. */
    MEAN,
    /** The sample is refused. */
    REJECT;

    public String fileName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public InputSpec {
    String where = "inputs." + name;
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("inputs: every input needs a non-empty name");
    }
    values = values == null ? List.of() : List.copyOf(values);
    if (type != Type.NUMERIC && scale != Scale.NONE) {
      throw new IllegalArgumentException(
          where + ".scale: only a numeric input is scaled; this one is " + type.fileName());
    }
    if (type == Type.CATEGORICAL) {
      if (values.isEmpty() == (hashBuckets == 0)) {
        throw new IllegalArgumentException(
            where
                + ": a categorical input needs either \"values\" (a non-empty vocabulary) or"
                + " \"hash_buckets\" (a slot count), not both");
      }
      if (hashBuckets < 0) {
        throw new IllegalArgumentException(
            where + ".hash_buckets must be >= 1, got " + hashBuckets);
      }
      if (new HashSet<>(values).size() != values.size()) {
        throw new IllegalArgumentException(where + ".values: a value is listed twice");
      }
    } else if (!values.isEmpty() || hashBuckets != 0) {
      throw new IllegalArgumentException(
          where + ": \"values\" and \"hash_buckets\" are for a categorical input only");
    }
    if (rejectUnknown && values.isEmpty()) {
      throw new IllegalArgumentException(
          where + ".unknown: \"reject\" needs a vocabulary (\"values\"): a hashed input has none");
    }
  }

  /** The slots this input takes in the network's input vector. */
  public int width() {
    return switch (type) {
      case NUMERIC, BOOLEAN -> 1;
      case CATEGORICAL -> hashBuckets > 0 ? hashBuckets : values.size() + (rejectUnknown ? 0 : 1);
    };
  }
}
