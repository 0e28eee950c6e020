package dev.tapegrad.consumer;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.AbstractModule;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Module;
import dev.tapegrad.ops.Expr;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;

/** Trains Linear(2, 8), tanh, Linear(8, 2) on the four XOR cases with the published core alone. */
public final class XorTraining {

  private XorTraining() {}

  /**
   * Trains a fresh perceptron.
   *
   * @param steps Adam steps to take
   * @return the loss after each step
   */
  public static float[] train(int steps) {
    SplittableRandom random = new SplittableRandom(42);
    Linear hidden = Linear.create(2, 8, random);
    Linear output = Linear.create(8, 2, random);
    Module model = new AbstractModule() {
      {
        register("hidden", hidden);
        register("output", output);
      }
    };
    Adam adam = Adam.builder().lr(0.05).build(model.namedParameters());
    Variable x = Variable.constant(Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2));
    int[] labels = {0, 1, 1, 0};
    float[] losses = new float[steps];
    for (int step = 0; step < steps; step++) {
      adam.zeroGrad();
      Tape tape = new Tape();
      Expr loss = Expr.of(tape, x).then(hidden::forward).tanh().then(output::forward).crossEntropy(labels);
      loss.backward();
      adam.step();
      losses[step] = loss.value().item();
    }
    return losses;
  }
}
