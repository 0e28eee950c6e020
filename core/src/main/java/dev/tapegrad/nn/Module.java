package dev.tapegrad.nn;

import dev.tapegrad.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Something that owns trainable parameters, named as in a PyTorch {@code state_dict}.
 *
 * <pre>{@code
 * Linear layer = Linear.create(4, 2, new SplittableRandom(1));
 * layer.namedParameters().keySet();   // [weight, bias]
 * Adam adam = Adam.create(layer.parameters(), 1e-3f);
 * }</pre>
 */
public interface Module {

  /**
   * Returns every parameter by its PyTorch name relative to this module (for example
   * {@code "weight_ih_l0"} for a GRU), in a fixed order. The map is read-only; the variables are
   * live, so an optimizer updates the module through them.
   *
   * @return the named parameters
   */
  Map<String, Variable> namedParameters();

  /** {@return the parameters in {@link #namedParameters()} order} */
  default List<Variable> parameters() {
    return new ArrayList<>(namedParameters().values());
  }
}
