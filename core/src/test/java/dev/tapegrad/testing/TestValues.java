package dev.tapegrad.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import java.util.function.BiFunction;
import org.junit.jupiter.api.function.Executable;

/** Small factories and assertions shared by the example tests. */
public final class TestValues {

  private TestValues() {}

  /**
   * Returns a trainable leaf holding a copy of {@code values}.
   *
   * @param name the variable's name
   * @param values the elements, row-major
   * @param dims the shape
   * @return the parameter
   */
  public static Variable param(String name, float[] values, int... dims) {
    return Variable.parameter(name, Tensor.of(values, dims));
  }

  /**
   * Returns a leaf that needs no gradient, holding a copy of {@code values}.
   *
   * @param values the elements, row-major
   * @param dims the shape
   * @return the constant
   */
  public static Variable constant(float[] values, int... dims) {
    return Variable.constant(Tensor.of(values, dims));
  }

  /**
   * Back-propagates from {@code output} with an explicit seed gradient and releases the tape.
   *
   * @param tape the tape the output was recorded on
   * @param output the variable to differentiate
   * @param seed the gradient of the output, row-major in the output's shape
   */
  public static void backward(Tape tape, Variable output, float... seed) {
    Tensor s = output.shape().rank() == 0 ? Tensor.scalar(seed[0]) : Tensor.of(seed, output.shape().dims());
    tape.backward(output, s, false);
  }

  /**
   * Asserts that {@code call} throws {@code type} with a message containing every fragment.
   *
   * @param type the expected exception type
   * @param call the code that should throw
   * @param fragments the texts the message must contain
   * @param <T> the exception type
   * @return the exception, for further checks
   */
  public static <T extends Throwable> T assertThrowsWithMessage(Class<T> type, Executable call, String... fragments) {
    T thrown = assertThrows(type, call);
    String message = thrown.getMessage();
    for (String fragment : fragments) {
      assertTrue(message != null && message.contains(fragment),
          () -> "message should contain \"" + fragment + "\" but was: " + message);
    }
    return thrown;
  }

  /**
   * Runs a one-input op on x, checks its output, back-propagates {@code seed} and returns dX.
   *
   * @param op the op's entry point
   * @param x the input, a parameter
   * @param expectedOut the expected output, row-major
   * @param seed the gradient of the output, row-major
   * @return x's gradient (live)
   */
  public static float[] unaryGradient(BiFunction<Tape, Variable, Variable> op, Variable x, float[] expectedOut,
      float... seed) {
    Tape tape = new Tape();
    Variable out = op.apply(tape, x);
    AllClose.check("out", expectedOut, out.value().storage(), 1e-6, 1e-7);
    backward(tape, out, seed);
    return x.grad().storage();
  }
}
