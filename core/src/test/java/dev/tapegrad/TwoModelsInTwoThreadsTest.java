package dev.tapegrad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Embedding;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Recurrent;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.Reshape;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.optim.GradClip;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Core keeps no global mutable state: two models trained at the same time in two threads of one JVM
 * end bit for bit where each ends when trained alone. Each run owns its tapes, parameters, optimizer
 * and random generator; the kernels' thread pool is shared but holds no state between calls.
 */
class TwoModelsInTwoThreadsTest {

  /** A small sequence model: Embedding, GRU, Linear, trained on random ids to predict the next id. */
  private record Config(long seed, int vocab, int hidden, int batch, int steps, Implementation gru,
      int trainingSteps) {}

  /** Large enough that the backward's weight-gradient products are split over the kernel threads. */
  private static final Config FUSED = new Config(11, 32, 64, 6, 16, Implementation.FUSED, 12);
  private static final Config COMPOSED = new Config(23, 12, 16, 2, 6, Implementation.REFERENCE, 12);

  /** What a run leaves behind: every step's loss and the final parameters. */
  private record Outcome(float[] losses, List<float[]> parameters) {}

  @Test
  void twoModelsTrainedConcurrentlyMatchEachTrainedAloneBitwise() throws Exception {
    Outcome fusedAlone = train(FUSED);
    Outcome composedAlone = train(COMPOSED);

    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CyclicBarrier start = new CyclicBarrier(2);
      Future<Outcome> fused = threads.submit(() -> {
        start.await();
        return train(FUSED);
      });
      Future<Outcome> composed = threads.submit(() -> {
        start.await();
        return train(COMPOSED);
      });
      assertSame(fusedAlone, fused.get());
      assertSame(composedAlone, composed.get());
    } finally {
      threads.shutdownNow();
    }
    assertTrue(fusedAlone.losses()[FUSED.trainingSteps() - 1] < fusedAlone.losses()[0], "the runs do learn");
  }

  private static void assertSame(Outcome alone, Outcome concurrent) {
    assertArrayEquals(alone.losses(), concurrent.losses(), 0f, "losses step by step");
    assertEquals(alone.parameters().size(), concurrent.parameters().size());
    for (int i = 0; i < alone.parameters().size(); i++) {
      // assertArrayEquals on float[] compares with Float.floatToIntBits semantics at delta 0: bit for bit
      assertArrayEquals(alone.parameters().get(i), concurrent.parameters().get(i), 0f, "parameter " + i);
    }
  }

  private static Outcome train(Config c) {
    SplittableRandom random = new SplittableRandom(c.seed());
    Embedding embedding = Embedding.create(c.vocab(), c.vocab(), random);
    Recurrent gru = Recurrent.create(CellKind.GRU, c.vocab(), c.hidden(), 1, random);
    Linear decoder = Linear.create(c.hidden(), c.vocab(), random);
    List<Variable> params = new ArrayList<>();
    params.addAll(embedding.parameters());
    params.addAll(gru.parameters());
    params.addAll(decoder.parameters());
    Adam adam = Adam.create(params, 0.01f);
    // A fixed periodic text, so the next id is predictable and the loss falls.
    int[] text = new int[c.batch() * (c.steps() + 1)];
    for (int i = 0; i < text.length; i++) {
      text[i] = (i * 7 + i / 3) % c.vocab();
    }
    float[] losses = new float[c.trainingSteps()];
    int positions = c.batch() * c.steps();
    for (int step = 0; step < c.trainingSteps(); step++) {
      int[] inputs = new int[positions];
      int[] targets = new int[positions];
      for (int b = 0; b < c.batch(); b++) {
        int from = random.nextInt(text.length - c.steps());
        for (int t = 0; t < c.steps(); t++) {
          inputs[b * c.steps() + t] = text[from + t];
          targets[b * c.steps() + t] = text[from + t + 1];
        }
      }
      adam.zeroGrad();
      Tape tape = new Tape();
      Variable x = Reshape.apply(tape, embedding.forward(tape, inputs), c.batch(), c.steps(), c.vocab());
      Variable h = gru.forward(tape, x, null, c.gru()).output();
      Variable logits = decoder.forward(tape, Reshape.apply(tape, h, positions, c.hidden()));
      Variable loss = SoftmaxCrossEntropy.apply(tape, logits, targets);
      tape.backward(loss);
      GradClip.clipGlobalNorm(params, 5.0);
      adam.step();
      losses[step] = loss.value().item();
    }
    List<float[]> finals = new ArrayList<>();
    for (Variable p : params) {
      finals.add(p.value().toArray());
    }
    return new Outcome(losses, finals);
  }
}
