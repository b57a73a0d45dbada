package io.streamgrad.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamgrad.learn.Learner;
import io.streamgrad.learn.ModelFile;
import io.streamgrad.learn.Sample;
import io.streamgrad.learn.StatsSettings;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A task taken over after its last commit but before its next loss report: the samples learnt since
 * that report are in the model (the changelog) but not in any report. The new owner reports each
 * model it restored once at the first tick, so the last report still counts every sample.
 */
class LossReportHandoverTest {

  @Test
  void shouldReportEveryRestoredModelAtTheFirstTick() {
    MockProcessorContext<byte[], byte[]> context = new MockProcessorContext<>();
    ModelStore models = new ModelStore(StreamSettings.STORE);
    models.init(context.getStateStoreContext(), models);
    var waiting =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(StreamSettings.WAITING_STORE),
                Serdes.Bytes(),
                Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    waiting.init(context.getStateStoreContext(), waiting);
    PendingStore pending = new PendingStore(StreamSettings.PENDING_STORE);
    pending.init(context.getStateStoreContext(), pending);
    context.addStateStore(models);
    context.addStateStore(waiting);
    context.addStateStore(pending);

    // As restored from the changelog: three samples learnt, none reported.
    Learner learner =
        Learner.create(ModelFile.parse(LearnerTopologyTest.SPEC), StatsSettings.DEFAULT);
    for (int s = 0; s < 3; s++) {
      learner.learn(new Sample("s" + s, new double[] {0.5, 1.5, -1}, new double[] {1}, 0));
    }
    models.put("m", learner);

    LearnerProcessor processor =
        new LearnerProcessor(StreamSettings.defaults(), new StreamMetrics());
    processor.init(context);
    for (CapturedPunctuator punctuator : context.scheduledPunctuators()) {
      punctuator.getPunctuator().punctuate(1_000);
    }

    List<CapturedForward<? extends byte[], ? extends byte[]>> reports =
        context.forwarded(LearnerProcessor.LOSS);
    assertEquals(1, reports.size(), "one report for the one restored model");
    assertEquals("m", new String(reports.get(0).record().key(), StandardCharsets.UTF_8));

    context.resetForwards(); // reported now: the next tick owes nothing
    for (CapturedPunctuator punctuator : context.scheduledPunctuators()) {
      punctuator.getPunctuator().punctuate(2_000);
    }
    assertEquals(0, context.forwarded(LearnerProcessor.LOSS).size());
  }
}
