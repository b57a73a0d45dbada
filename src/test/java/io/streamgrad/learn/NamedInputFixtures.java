package io.streamgrad.learn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A model of named, mixed-type inputs and raw-scale samples for it, shared by tests. */
public final class NamedInputFixtures {
  private NamedInputFixtures() {}

  public static final String SPEC =
      """
      {"model": "credit", "inputs": [
         {"name": "amount", "type": "numeric", "scale": "standard", "missing": "mean"},
         {"name": "ratio", "type": "numeric", "scale": "minmax"},
         {"name": "country", "type": "categorical", "values": ["FR", "DE", "US"]},
         {"name": "merchant", "type": "categorical", "hash_buckets": 8, "missing": "zero"},
         {"name": "is_new", "type": "boolean"}],
       "layers": [{"in": 15, "out": 4, "activation": "tanh"},
                  {"in": 4, "out": 2, "activation": "softmax"}],
       "loss": "softmax_ce", "optimizer": {"type": "adam", "learning_rate": 0.01}, "seed": 9}
      """;

  public static final String REGRESSION =
      """
      {"model": "price", "inputs": [{"name": "area", "type": "numeric", "scale": "standard"}],
       "layers": [{"in": 1, "out": 1, "activation": "identity"}], "loss": "l2",
       "target_scale": "standard", "optimizer": {"type": "sgd", "learning_rate": 0.05}}
      """;

  /** Raw, mixed-scale samples: amounts in the hundred thousands beside ratios below one. */
  public static List<Sample> samples(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String[] countries = {"FR", "DE", "US", "JP"};
    List<Sample> list = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      Map<String, Object> named = new HashMap<>();
      double amount = 50_000 + 400_000 * random.nextDouble();
      if (s % 7 != 3) {
        named.put("amount", amount);
      }
      named.put("ratio", random.nextDouble());
      named.put("country", countries[random.nextInt(4)]);
      named.put("merchant", "m-" + random.nextInt(30));
      named.put("is_new", random.nextBoolean());
      if (s % 5 == 0) {
        named.put("comment", "ignored");
      }
      double[] label = s % 6 == 5 ? null : new double[] {amount > 250_000 ? 1 : 0};
      list.add(Sample.named("s" + s, named, label, 0, 1.0));
    }
    return list;
  }
}
