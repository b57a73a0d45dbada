package io.streamgrad.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.LearnerCodec;
import io.streamgrad.learn.ModelSpec;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import io.streamgrad.nn.Activation;
import io.streamgrad.nn.Architecture;
import io.streamgrad.nn.Loss;
import io.streamgrad.nn.Optimizer;
import org.junit.jupiter.api.Test;

class PredictCacheTest {
  static Learner learner() {
    return Learner.create(
        ModelSpec.fresh(
            "m",
            Architecture.parse("3-4-3", Activation.TANH, Activation.SOFTMAX, Loss.SOFTMAX_CE),
            Optimizer.Sgd.plain(0.1),
            5),
        StatsSettings.DEFAULT);
  }

  @Test
  void shouldDecodeOnceWhileTheCommittedBytesStayTheSame() {
    PredictCache cache = new PredictCache();
    byte[] state = LearnerCodec.encode(learner());
    // An equal copy, as a later interactive query of the same commit may return.
    assertSame(cache.learner("m", state), cache.learner("m", state.clone()));
  }

  @Test
  void shouldDecodeAgainWhenANewCommitBringsNewBytes() {
    PredictCache cache = new PredictCache();
    Learner live = learner();
    Learner first = cache.learner("m", LearnerCodec.encode(live));
    live.learn(new Sample("s", new double[] {1, 2, 3}, new double[] {1}, 0));
    assertNotSame(first, cache.learner("m", LearnerCodec.encode(live)));
  }

  @Test
  void shouldKeepOneEntryPerModel() {
    PredictCache cache = new PredictCache();
    byte[] state = LearnerCodec.encode(learner());
    assertNotSame(cache.learner("a", state), cache.learner("b", state));
  }

  @Test
  void shouldForgetAModelThatMovedAway() {
    PredictCache cache = new PredictCache();
    byte[] state = LearnerCodec.encode(learner());
    Learner before = cache.learner("a", state);
    cache.learner("b", state);
    cache.forget("a");
    assertEquals(1, cache.size());
    assertNotSame(before, cache.learner("a", state), "decoded afresh when it comes back");
  }
}
