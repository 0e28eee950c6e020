package dev.tapegrad.nn;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The tape-free {@link RecurrentStepper} computes, one step at a time, what
 * {@link Recurrent#forward} computes over the whole sequence at batch 1, for every cell and with
 * either implementation: every step's h and, at the end, every layer's h (and c). The two differ
 * only in summation order (matrix-vector against matrix-matrix products), so they agree to about
 * 1e-5 relative.
 */
class RecurrentStepperTest {

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
    for (CellKind kind : CellKind.values()) {
      for (Implementation implementation : Implementation.values()) {
        for (Size size : sizes) {
          out.add(Arguments.of(kind, implementation, size));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}, {2}")
  @MethodSource("cases")
  void steppingOneCharAtATimeMatchesTheBatchedForward(CellKind kind, Implementation implementation, Size size) {
    Recurrent layer = Recurrent.create(kind, size.in(), size.hidden(), size.layers(),
        new SplittableRandom(size.seed()));
    float[] x = oneHotChars(new SplittableRandom(11), size);
    assertMatchesForward("from zeros", layer, RecurrentStepper.of(layer), x, null, null, implementation);
  }

  @ParameterizedTest(name = "{0} {1}, {2}")
  @MethodSource("cases")
  void steppingFromASetStateMatchesTheForwardFromThatState(CellKind kind, Implementation implementation, Size size) {
    Recurrent layer = Recurrent.create(kind, size.in(), size.hidden(), size.layers(),
        new SplittableRandom(size.seed() + 1));
    SplittableRandom random = new SplittableRandom(12);
    float[] x = Tensor.uniform(random, -1f, 1f, size.steps() * size.in()).data();
    List<float[]> h0 = new ArrayList<>();
    List<float[]> c0 = kind == CellKind.LSTM ? new ArrayList<>() : null;
    for (int k = 0; k < size.layers(); k++) {
      h0.add(Tensor.uniform(random, -1f, 1f, size.hidden()).data());
      if (c0 != null) {
        // a cell state is not bounded by tanh: let it reach beyond ±1
        c0.add(Tensor.uniform(random, -2f, 2f, size.hidden()).data());
      }
    }
    RecurrentStepper stepper = RecurrentStepper.of(layer);
    // a state left over from earlier steps, which setState must replace entirely
    stepper.step(x, 0);
    stepper.setState(h0, c0);
    for (int k = 0; k < size.layers(); k++) {
      assertArrayEquals(h0.get(k), stepper.hidden(k), "h of layer " + k + " after setState");
      if (c0 != null) {
        assertArrayEquals(c0.get(k), stepper.cell(k), "c of layer " + k + " after setState");
      }
    }
    assertMatchesForward("from a set state", layer, stepper, x, h0, c0, implementation);
  }

  @ParameterizedTest(name = "{0} {1}, {2}")
  @MethodSource("cases")
  void resetReturnsToTheZeroState(CellKind kind, Implementation implementation, Size size) {
    Recurrent layer = Recurrent.create(kind, size.in(), size.hidden(), size.layers(),
        new SplittableRandom(size.seed() + 2));
    float[] x = oneHotChars(new SplittableRandom(13), size);
    RecurrentStepper stepper = RecurrentStepper.of(layer);
    for (int t = 0; t < size.steps(); t++) {
      stepper.step(x, t * size.in());
    }
    stepper.reset();
    for (int k = 0; k < size.layers(); k++) {
      assertArrayEquals(new float[size.hidden()], stepper.hidden(k), "h of layer " + k + " after reset");
      if (kind == CellKind.LSTM) {
        assertArrayEquals(new float[size.hidden()], stepper.cell(k), "c of layer " + k + " after reset");
      }
    }
    assertMatchesForward("after reset", layer, stepper, x, null, null, implementation);
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void seesParameterUpdatesMadeAfterItWasCreated(CellKind kind) {
    Recurrent layer = Recurrent.create(kind, 3, 4, 2, new SplittableRandom(21));
    RecurrentStepper stepper = RecurrentStepper.of(layer);
    SplittableRandom random = new SplittableRandom(22);
    for (Variable p : layer.parameters()) {
      p.value().copyFrom(Tensor.uniform(random, -1f, 1f, p.shape().dims()));
    }
    float[] x = oneHotChars(new SplittableRandom(23), new Size(3, 4, 2, 5));
    assertMatchesForward("after an update", layer, stepper, x, null, null, Implementation.REFERENCE);
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void stepReturnsTheLastLayersLiveHiddenState(CellKind kind) {
    RecurrentStepper stepper = RecurrentStepper.of(Recurrent.create(kind, 2, 3, 2, new SplittableRandom(24)));
    assertSame(stepper.hidden(1), stepper.step(new float[] {1f, 0f}, 0));
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void rejectsABadStateNamingItAndLeavesEveryStateAlone(CellKind kind) {
    RecurrentStepper stepper = RecurrentStepper.of(Recurrent.create(kind, 2, 3, 2, new SplittableRandom(26)));
    stepper.step(new float[] {0f, 1f}, 0);
    boolean lstm = kind == CellKind.LSTM;
    List<float[]> before = state(stepper, lstm);
    List<float[]> good = List.of(new float[] {1f, 2f, 3f}, new float[] {4f, 5f, 6f});
    List<float[]> goodC = lstm ? good : null;
    // layer 0 is good in each case, so a stepper that copied before checking would change it
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> stepper.setState(List.of(new float[] {1f, 2f, 3f}, new float[2]), goodC), "h of layer 1 has 2 values",
        "need 3");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> stepper.setState(List.of(new float[3]), goodC),
        "1 h states for 2 layers");
    if (lstm) {
      assertThrowsWithMessage(IllegalArgumentException.class,
          () -> stepper.setState(good, List.of(new float[] {4f, 5f, 6f}, new float[4])), "c of layer 1 has 4 values",
          "need 3");
      assertThrowsWithMessage(IllegalArgumentException.class, () -> stepper.setState(good, null),
          "LSTM needs a cell state");
    } else {
      assertThrowsWithMessage(IllegalArgumentException.class, () -> stepper.setState(good, good),
          kind + " has no cell state");
      assertThrows(IllegalStateException.class, () -> stepper.cell(0));
    }
    List<float[]> after = state(stepper, lstm);
    for (int s = 0; s < before.size(); s++) {
      assertArrayEquals(before.get(s), after.get(s), "state " + s + " is unchanged");
    }
  }

  private static List<float[]> state(RecurrentStepper stepper, boolean lstm) {
    List<float[]> out = new ArrayList<>(List.of(stepper.hidden(0).clone(), stepper.hidden(1).clone()));
    if (lstm) {
      out.addAll(List.of(stepper.cell(0).clone(), stepper.cell(1).clone()));
    }
    return out;
  }

  /**
   * Steps {@code stepper} (already in state (h0, c0), or zeros) through x and checks every step's
   * output and, at the end, every layer's state against one batched forward from (h0, c0).
   */
  private static void assertMatchesForward(String what, Recurrent layer, RecurrentStepper stepper, float[] x,
      List<float[]> h0, List<float[]> c0, Implementation implementation) {
    int in = layer.inputSize();
    int hidden = layer.hidden();
    int steps = x.length / in;
    List<State> initial = null;
    if (h0 != null) {
      initial = new ArrayList<>();
      for (int k = 0; k < h0.size(); k++) {
        initial.add(new State(Variable.constant(Tensor.of(h0.get(k), 1, hidden)),
            c0 == null ? null : Variable.constant(Tensor.of(c0.get(k), 1, hidden))));
      }
    }
    Recurrent.Output out = layer.forward(new Tape(), Variable.constant(Tensor.of(x, 1, steps, in)), initial,
        implementation);
    float[] all = out.output().value().data();
    for (int t = 0; t < steps; t++) {
      float[] expected = new float[hidden];
      System.arraycopy(all, t * hidden, expected, 0, hidden);
      AllClose.check(what + ", step " + t, expected, stepper.step(x, t * in), RTOL, ATOL);
    }
    for (int k = 0; k < layer.layers(); k++) {
      State s = out.states().get(k);
      AllClose.check(what + ", final h of layer " + k, s.h().value().data(), stepper.hidden(k), RTOL, ATOL);
      if (s.c() != null) {
        AllClose.check(what + ", final c of layer " + k, s.c().value().data(), stepper.cell(k), RTOL, ATOL);
      }
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
