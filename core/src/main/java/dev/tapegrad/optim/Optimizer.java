package dev.tapegrad.optim;

import dev.tapegrad.autograd.Variable;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their accumulated gradients. Optimizers keep their state (moments,
 * velocities) by parameter name.
 *
 * <pre>{@code
 * Optimizer optimizer = Adam.builder().lr(1e-3).build(model.namedParameters());
 * optimizer.zeroGrad();      // gradients accumulate, so clear them before each backward
 * tape.backward(loss);
 * optimizer.step();
 * }</pre>
 */
public interface Optimizer {

  /** Applies one update to every parameter, using the gradients accumulated since the last zeroing. */
  void step();

  /** Sets every parameter's gradient to zero, ready for the next backward. */
  void zeroGrad();

  /**
   * Names parameters by their positions, {@code "0"}, {@code "1"} …, as PyTorch's optimizer
   * {@code state_dict} does, for optimizers given a plain list.
   *
   * @param params the parameters, in order
   * @return the parameters by position, in order
   */
  static Map<String, Variable> byPosition(List<Variable> params) {
    Map<String, Variable> named = new LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      named.put(Integer.toString(i), params.get(i));
    }
    return named;
  }

  /**
   * Checks that every parameter is trainable and given once, and copies the map, for an optimizer
   * to keep. A variable under two names would be stepped twice per step (PyTorch refuses it too:
   * "some parameters appear in more than one parameter group"); a module's
   * {@code namedParameters()} lists a shared one once.
   *
   * @param optimizer the optimizer's name, for the message
   * @param params the parameters by name, in update order
   * @return a read-only copy in the same order
   * @throws IllegalArgumentException naming the parameter if one needs no gradient, or naming both
   *     names if one variable is given twice
   */
  static Map<String, Variable> trainable(String optimizer, Map<String, Variable> params) {
    Map<Variable, String> seen = new IdentityHashMap<>();
    params.forEach((name, p) -> {
      if (!p.requiresGrad()) {
        throw new IllegalArgumentException(optimizer + ": '" + name + "' (" + p + ") is not a trainable parameter");
      }
      String first = seen.putIfAbsent(p, name);
      if (first != null) {
        throw new IllegalArgumentException(optimizer + ": '" + name + "' (" + p + ") is the parameter already given "
            + "as '" + first + "'; each parameter must be given once, or it would be updated twice per step");
      }
    });
    return Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }
}
