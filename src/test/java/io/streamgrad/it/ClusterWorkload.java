package io.streamgrad.it;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.records.SampleDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * The cluster test's models and samples: three models on each of the partitions, of mixed sizes and
 * optimizers, and each sample learnt offline too, in the order it is produced, by the same {@code
 * learn} code that {@code replay} runs, so that every model the service trains can be compared bit
 * for bit. Not thread-safe: one producer thread generates, the test reads after it has stopped.
 */
final class ClusterWorkload {
  private static final String[] SIZES = {"4-4-3", "4-8-3", "4-16-3", "4-32-3", "4-64-3"};
  private static final String[] OPTIMIZERS = {
    "{\"type\": \"sgd\", \"learning_rate\": 0.05}",
    "{\"type\": \"adam\", \"learning_rate\": 0.005}",
    "{\"type\": \"sgd\", \"learning_rate\": 0.05, \"momentum\": 0.9}",
    "{\"type\": \"adam\", \"learning_rate\": 0.002, \"weight_decay\": 0.001}",
  };

  final Map<String, String> specs = new LinkedHashMap<>();
  final Map<String, Learner> offline = new HashMap<>();
  final Map<String, Long> perModel = new HashMap<>();
  final List<String> ids = new ArrayList<>();
  private final List<String> models;
  private final String samplesTopic;
  private final SampleDecoder codec = new SampleDecoder();
  private final SplittableRandom random = new SplittableRandom(23);
  private int next;

  /** perPartition models on each of partitions partitions, as the Java producer places them. */
  ClusterWorkload(String samplesTopic, int partitions, int perPartition) {
    this.samplesTopic = samplesTopic;
    int[] placed = new int[partitions];
    for (int k = 0; specs.size() < partitions * perPartition; k++) {
      String model = "m" + k;
      int partition = Utils.toPositive(Utils.murmur2(bytes(model))) % partitions;
      if (placed[partition] < perPartition) {
        placed[partition]++;
        int n = specs.size();
        specs.put(
            model,
            LearnerIT.spec(
                model,
                SIZES[n % SIZES.length],
                OPTIMIZERS[n % OPTIMIZERS.length],
                n % 7 == 3 ? 4 : 1));
      }
    }
    specs.forEach(
        (m, json) -> offline.put(m, Learner.create(ModelFile.parse(json), StatsSettings.DEFAULT)));
    models = List.copyOf(specs.keySet());
  }

  /** The next sample (one in twenty without a label), learnt offline, as a record to send. */
  ProducerRecord<byte[], byte[]> next() {
    int s = next++;
    String model = models.get(random.nextInt(models.size()));
    double[] x = random.doubles(4, -1, 1).toArray();
    boolean unlabelled = s % 20 == 19;
    Sample sample =
        new Sample(
            "s" + s, x, unlabelled ? null : new double[] {x[0] > x[1] ? 1 : (x[2] > 0 ? 2 : 0)}, 0);
    offline.get(model).learn(sample);
    perModel.merge(model, 1L, Long::sum);
    ids.add(sample.id());
    return new ProducerRecord<>(samplesTopic, bytes(model), codec.encodeAvro(sample));
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
