package dev.tapegrad.nn;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tape-free {@link RnnStepper} computes, one step at a time, what {@link Rnn#forward}
 * computes over the whole sequence at batch 1, with either implementation. The two differ only in
 * summation order (matrix-vector against matrix-matrix products), so they agree to about 1e-5
 * relative, as the GRU stepper does in the rnn module's {@code CharModelTest}.
 */
class RnnStepperTest {

  private static final double RTOL = 1e-5;
  private static final double ATOL = 1e-6;

  /** One model and sequence size: input width, hidden width, layers, steps. */
  record Size(int in, int hidden, int layers, int steps) {
    /** {@return a seed for this size's weights} */
    long seed() {
      return ((in * 31L + hidden) * 31L + layers) * 31L + steps;
    }

    @Override
    public String toString() {
      return "in " + in + ", hidden " + hidden + ", " + layers + (layers == 1 ? " layer" : " layers") + ", "
          + steps + (steps == 1 ? " step" : " steps");
    }
  }

  static Stream<Arguments> cases() {
    List<Size> sizes = List.of(new Size(3, 5, 1, 7), new Size(1, 1, 1, 1), new Size(5, 3, 2, 6),
        new Size(2, 1, 2, 4), new Size(4, 6, 3, 5), new Size(17, 9, 2, 8));
    List<Arguments> out = new ArrayList<>();
    for (Gru.Implementation implementation : Gru.Implementation.values()) {
      for (Size size : sizes) {
        out.add(Arguments.of(implementation, size));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("cases")
  void steppingOneCharAtATimeMatchesTheBatchedForward(Gru.Implementation implementation, Size size) {
    Rnn rnn = Rnn.create(size.in(), size.hidden(), size.layers(), new SplittableRandom(size.seed()));
    float[] x = oneHotChars(new SplittableRandom(11), size);
    RnnStepper stepper = RnnStepper.of(rnn);
    assertMatchesForward("from zeros", rnn, stepper, x, null, implementation);
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("cases")
  void steppingFromASetHiddenStateMatchesTheForwardFromThatState(Gru.Implementation implementation, Size size) {
    Rnn rnn = Rnn.create(size.in(), size.hidden(), size.layers(), new SplittableRandom(size.seed() + 1));
    SplittableRandom random = new SplittableRandom(12);
    float[] x = Tensor.uniform(random, -1f, 1f, size.steps() * size.in()).data();
    List<float[]> h0 = new ArrayList<>();
    for (int k = 0; k < size.layers(); k++) {
      h0.add(Tensor.uniform(random, -1f, 1f, size.hidden()).data());
    }
    RnnStepper stepper = RnnStepper.of(rnn);
    // a state left over from earlier steps, which setHidden must replace entirely
    stepper.step(x, 0);
    stepper.setHidden(h0);
    for (int k = 0; k < size.layers(); k++) {
      assertArrayEquals(h0.get(k), stepper.hidden(k), "layer " + k + " after setHidden");
    }
    assertMatchesForward("from h0", rnn, stepper, x, h0, implementation);
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("cases")
  void resetReturnsToTheZeroState(Gru.Implementation implementation, Size size) {
    Rnn rnn = Rnn.create(size.in(), size.hidden(), size.layers(), new SplittableRandom(size.seed() + 2));
    float[] x = oneHotChars(new SplittableRandom(13), size);
    RnnStepper stepper = RnnStepper.of(rnn);
    for (int t = 0; t < size.steps(); t++) {
      stepper.step(x, t * size.in());
    }
    stepper.reset();
    for (int k = 0; k < size.layers(); k++) {
      assertArrayEquals(new float[size.hidden()], stepper.hidden(k), "layer " + k + " after reset");
    }
    assertMatchesForward("after reset", rnn, stepper, x, null, implementation);
  }

  @Test
  void seesParameterUpdatesMadeAfterItWasCreated() {
    Rnn rnn = Rnn.create(3, 4, 2, new SplittableRandom(21));
    RnnStepper stepper = RnnStepper.of(rnn);
    SplittableRandom random = new SplittableRandom(22);
    for (Variable p : rnn.parameters()) {
      p.value().copyFrom(Tensor.uniform(random, -1f, 1f, p.shape().dims()));
    }
    float[] x = oneHotChars(new SplittableRandom(23), new Size(3, 4, 2, 5));
    assertMatchesForward("after an update", rnn, stepper, x, null, Gru.Implementation.REFERENCE);
  }

  @Test
  void stepReturnsTheLastLayersLiveHiddenState() {
    Rnn rnn = Rnn.create(2, 3, 2, new SplittableRandom(24));
    RnnStepper stepper = RnnStepper.of(rnn);
    assertSame(stepper.hidden(1), stepper.step(new float[] {1f, 0f}, 0));
  }

  @Test
  void rejectsTheWrongNumberOfStatesNamingBothCounts() {
    RnnStepper stepper = RnnStepper.of(Rnn.create(2, 3, 2, new SplittableRandom(25)));
    assertThrowsWithMessage(IllegalArgumentException.class, () -> stepper.setHidden(List.of(new float[3])),
        "1 states for 2 layers");
  }

  @Test
  void rejectsAStateOfTheWrongWidthNamingTheLayerAndLeavesEveryStateAlone() {
    RnnStepper stepper = RnnStepper.of(Rnn.create(2, 3, 2, new SplittableRandom(26)));
    stepper.step(new float[] {0f, 1f}, 0);
    float[] before0 = stepper.hidden(0).clone();
    float[] before1 = stepper.hidden(1).clone();
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> stepper.setHidden(List.of(new float[] {1f, 2f, 3f}, new float[4])), "state of layer 1 has 4 values",
        "need 3");
    assertArrayEquals(before0, stepper.hidden(0), "layer 0 is unchanged");
    assertArrayEquals(before1, stepper.hidden(1), "layer 1 is unchanged");
  }

  /**
   * Steps {@code stepper} (already in state h0, or zeros) through x and checks every step's output
   * and, at the end, every layer's state against one batched forward from h0.
   */
  private static void assertMatchesForward(String what, Rnn rnn, RnnStepper stepper, float[] x, List<float[]> h0,
      Gru.Implementation implementation) {
    int in = rnn.inputSize();
    int hidden = rnn.hidden();
    int steps = x.length / in;
    List<Variable> initial = null;
    if (h0 != null) {
      initial = new ArrayList<>();
      for (float[] h : h0) {
        initial.add(Variable.constant(Tensor.of(h, 1, hidden)));
      }
    }
    Rnn.Output out = rnn.forward(new Tape(), Variable.constant(Tensor.of(x, 1, steps, in)), initial, implementation);
    float[] all = out.output().value().data();
    for (int t = 0; t < steps; t++) {
      float[] expected = new float[hidden];
      System.arraycopy(all, t * hidden, expected, 0, hidden);
      AllClose.check(what + ", step " + t, expected, stepper.step(x, t * in), RTOL, ATOL);
    }
    for (int k = 0; k < rnn.layers(); k++) {
      AllClose.check(what + ", final h of layer " + k, out.hidden().get(k).value().data(), stepper.hidden(k), RTOL,
          ATOL);
    }
  }

  /** Returns {@code size.steps()} random one-hot characters of width {@code size.in()}, back to back. */
  private static float[] oneHotChars(SplittableRandom random, Size size) {
    float[] x = new float[size.steps() * size.in()];
    for (int t = 0; t < size.steps(); t++) {
      x[t * size.in() + random.nextInt(size.in())] = 1f;
    }
    return x;
  }
}
