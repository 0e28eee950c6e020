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
 * The tape-free {@link LstmStepper} computes, one step at a time, what {@link Lstm#forward}
 * computes over the whole sequence at batch 1, with either implementation: every step's h and, at
 * the end, every layer's h and c. The two differ only in summation order (matrix-vector against
 * matrix-matrix products), so they agree to about 1e-5 relative, as the GRU stepper does in the
 * rnn module's {@code CharModelTest}.
 */
class LstmStepperTest {

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
    Lstm lstm = Lstm.create(size.in(), size.hidden(), size.layers(), new SplittableRandom(size.seed()));
    float[] x = oneHotChars(new SplittableRandom(11), size);
    LstmStepper stepper = LstmStepper.of(lstm);
    assertMatchesForward("from zeros", lstm, stepper, x, null, null, implementation);
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("cases")
  void steppingFromASetStateMatchesTheForwardFromThatState(Gru.Implementation implementation, Size size) {
    Lstm lstm = Lstm.create(size.in(), size.hidden(), size.layers(), new SplittableRandom(size.seed() + 1));
    SplittableRandom random = new SplittableRandom(12);
    float[] x = Tensor.uniform(random, -1f, 1f, size.steps() * size.in()).data();
    List<float[]> h0 = new ArrayList<>();
    List<float[]> c0 = new ArrayList<>();
    for (int k = 0; k < size.layers(); k++) {
      h0.add(Tensor.uniform(random, -1f, 1f, size.hidden()).data());
      // a cell state is not bounded by tanh: let it reach beyond ±1
      c0.add(Tensor.uniform(random, -2f, 2f, size.hidden()).data());
    }
    LstmStepper stepper = LstmStepper.of(lstm);
    // a state left over from earlier steps, which setState must replace entirely
    stepper.step(x, 0);
    stepper.setState(h0, c0);
    for (int k = 0; k < size.layers(); k++) {
      assertArrayEquals(h0.get(k), stepper.hidden(k), "h of layer " + k + " after setState");
      assertArrayEquals(c0.get(k), stepper.cell(k), "c of layer " + k + " after setState");
    }
    assertMatchesForward("from (h0, c0)", lstm, stepper, x, h0, c0, implementation);
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("cases")
  void resetReturnsToTheZeroState(Gru.Implementation implementation, Size size) {
    Lstm lstm = Lstm.create(size.in(), size.hidden(), size.layers(), new SplittableRandom(size.seed() + 2));
    float[] x = oneHotChars(new SplittableRandom(13), size);
    LstmStepper stepper = LstmStepper.of(lstm);
    for (int t = 0; t < size.steps(); t++) {
      stepper.step(x, t * size.in());
    }
    stepper.reset();
    for (int k = 0; k < size.layers(); k++) {
      assertArrayEquals(new float[size.hidden()], stepper.hidden(k), "h of layer " + k + " after reset");
      assertArrayEquals(new float[size.hidden()], stepper.cell(k), "c of layer " + k + " after reset");
    }
    assertMatchesForward("after reset", lstm, stepper, x, null, null, implementation);
  }

  @Test
  void seesParameterUpdatesMadeAfterItWasCreated() {
    Lstm lstm = Lstm.create(3, 4, 2, new SplittableRandom(21));
    LstmStepper stepper = LstmStepper.of(lstm);
    SplittableRandom random = new SplittableRandom(22);
    for (Variable p : lstm.parameters()) {
      p.value().copyFrom(Tensor.uniform(random, -1f, 1f, p.shape().dims()));
    }
    float[] x = oneHotChars(new SplittableRandom(23), new Size(3, 4, 2, 5));
    assertMatchesForward("after an update", lstm, stepper, x, null, null, Gru.Implementation.REFERENCE);
  }

  @Test
  void stepReturnsTheLastLayersLiveHiddenState() {
    Lstm lstm = Lstm.create(2, 3, 2, new SplittableRandom(24));
    LstmStepper stepper = LstmStepper.of(lstm);
    assertSame(stepper.hidden(1), stepper.step(new float[] {1f, 0f}, 0));
  }

  @Test
  void rejectsTheWrongNumberOfStatesNamingTheCounts() {
    LstmStepper stepper = LstmStepper.of(Lstm.create(2, 3, 2, new SplittableRandom(25)));
    List<float[]> two = List.of(new float[3], new float[3]);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> stepper.setState(List.of(new float[3]), two),
        "1 h and 2 c states for 2 layers");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> stepper.setState(two, List.of()),
        "2 h and 0 c states for 2 layers");
  }

  @Test
  void rejectsAStateOfTheWrongWidthNamingItAndLeavesEveryStateAlone() {
    LstmStepper stepper = LstmStepper.of(Lstm.create(2, 3, 2, new SplittableRandom(26)));
    stepper.step(new float[] {0f, 1f}, 0);
    float[][] before = {stepper.hidden(0).clone(), stepper.hidden(1).clone(), stepper.cell(0).clone(),
        stepper.cell(1).clone()};
    List<float[]> good = List.of(new float[] {1f, 2f, 3f}, new float[] {4f, 5f, 6f});
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> stepper.setState(List.of(new float[] {1f, 2f, 3f}, new float[2]), good), "h of layer 1 has 2 values",
        "need 3");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> stepper.setState(good, List.of(new float[4], new float[] {4f, 5f, 6f})), "c of layer 0 has 4 values",
        "need 3");
    float[][] after = {stepper.hidden(0), stepper.hidden(1), stepper.cell(0), stepper.cell(1)};
    for (int s = 0; s < before.length; s++) {
      assertArrayEquals(before[s], after[s], "state " + s + " is unchanged");
    }
  }

  /**
   * Steps {@code stepper} (already in state (h0, c0), or zeros) through x and checks every step's
   * output and, at the end, every layer's h and c against one batched forward from (h0, c0).
   */
  private static void assertMatchesForward(String what, Lstm lstm, LstmStepper stepper, float[] x, List<float[]> h0,
      List<float[]> c0, Gru.Implementation implementation) {
    int in = lstm.inputSize();
    int hidden = lstm.hidden();
    int steps = x.length / in;
    Lstm.Output out = lstm.forward(new Tape(), Variable.constant(Tensor.of(x, 1, steps, in)), constants(h0, hidden),
        constants(c0, hidden), implementation);
    float[] all = out.output().value().data();
    for (int t = 0; t < steps; t++) {
      float[] expected = new float[hidden];
      System.arraycopy(all, t * hidden, expected, 0, hidden);
      AllClose.check(what + ", step " + t, expected, stepper.step(x, t * in), RTOL, ATOL);
    }
    for (int k = 0; k < lstm.layers(); k++) {
      AllClose.check(what + ", final h of layer " + k, out.hidden().get(k).value().data(), stepper.hidden(k), RTOL,
          ATOL);
      AllClose.check(what + ", final c of layer " + k, out.cell().get(k).value().data(), stepper.cell(k), RTOL,
          ATOL);
    }
  }

  /** Returns one 1×H constant per layer, or {@code null} (zeros) for {@code null}. */
  private static List<Variable> constants(List<float[]> states, int hidden) {
    if (states == null) {
      return null;
    }
    List<Variable> out = new ArrayList<>();
    for (float[] s : states) {
      out.add(Variable.constant(Tensor.of(s, 1, hidden)));
    }
    return out;
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
