package dev.tapegrad.nn;

import dev.tapegrad.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Something that owns trainable parameters, named as in a PyTorch {@code state_dict}: its own
 * parameters by their local names, and its submodules' under the name of the field that holds
 * each, joined with dots ({@code rnn.weight_ih_l0}).
 *
 * <p>A layer lists its own parameters ({@link #localParameters()}); a model made of layers lists
 * them as {@link #children()}, in the order of its fields, and inherits {@link #namedParameters()},
 * which walks the tree. There is no reflection: a module says what it holds.
 *
 * <pre>{@code
 * final class Mlp implements Module {
 *   final Linear hidden = Linear.create(2, 16, random);
 *   final Linear output = Linear.create(16, 2, random);
 *
 *   public List<Child> children() {
 *     return List.of(new Child("hidden", hidden), new Child("output", output));
 *   }
 * }
 * new Mlp().namedParameters().keySet();   // [hidden.weight, hidden.bias, output.weight, output.bias]
 * }</pre>
 */
public interface Module {

  /**
   * A submodule and the name it goes by, usually the name of the field that holds it.
   *
   * @param name the name, the prefix of its parameters' names (no dots)
   * @param module the submodule
   */
  record Child(String name, Module module) {
    /**
     * Checks the name.
     *
     * @param name the name, without dots
     * @param module the submodule
     * @throws IllegalArgumentException if the name is empty or contains a dot
     */
    public Child {
      if (name.isEmpty() || name.contains(".")) {
        throw new IllegalArgumentException("a submodule's name must be non-empty and without dots, got '" + name + "'");
      }
    }
  }

  /**
   * Returns this module's own parameters by local name (for example {@code weight} and
   * {@code bias}), in a fixed order, not those of its children. None by default.
   *
   * @return the parameters (live variables)
   */
  default Map<String, Variable> localParameters() {
    return Map.of();
  }

  /**
   * Returns the submodules, in a fixed order (usually that of the fields). None by default.
   *
   * @return the children
   */
  default List<Child> children() {
    return List.of();
  }

  /**
   * Returns every parameter by its dotted name: the local ones first, then each child's, prefixed
   * with the child's name and a dot, recursively. The map is read-only and ordered; the variables
   * are live, so an optimizer updates the module through them.
   *
   * <p>Note: a variable reached twice (a weight shared by two layers) is listed once, under its
   * first name, so that an optimizer updates it once; PyTorch's {@code named_parameters()} does
   * the same, while its {@code state_dict} would list both names.
   *
   * @return the named parameters
   * @throws IllegalArgumentException if two parameters would get the same name
   */
  default Map<String, Variable> namedParameters() {
    Map<String, Variable> all = new LinkedHashMap<>();
    Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    collect("", this, all, seen);
    return Collections.unmodifiableMap(all);
  }

  /** {@return the parameters in {@link #namedParameters()} order} */
  default List<Variable> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Adds {@code module}'s parameters under {@code prefix}, depth first. */
  private static void collect(String prefix, Module module, Map<String, Variable> all, Set<Variable> seen) {
    module.localParameters().forEach((name, v) -> {
      if (seen.add(v) && all.put(prefix + name, v) != null) {
        throw new IllegalArgumentException("two parameters are named '" + prefix + name + "'");
      }
    });
    for (Child child : module.children()) {
      collect(prefix + child.name() + ".", child.module(), all, seen);
    }
  }
}
