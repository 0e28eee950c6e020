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
 * <p>The usual way to write one is to extend {@link AbstractModule} and register every layer and
 * parameter as it is created, under the name of its field, as PyTorch's attribute assignment
 * does:
 *
 * <pre>{@code
 * final class Mlp extends AbstractModule {
 *   final Linear hidden;
 *   final Linear output;
 *
 *   Mlp(RandomGenerator random) {
 *     hidden = register("hidden", Linear.create(2, 16, random));
 *     output = register("output", Linear.create(16, 2, random));
 *   }
 * }
 * new Mlp(new SplittableRandom(1)).namedParameters().keySet();
 * // [hidden.weight, hidden.bias, output.weight, output.bias]
 * }</pre>
 *
 * <p>A record, or a class that must implement this interface directly, lists its own parameters
 * ({@link #localParameters()}) and its submodules ({@link #children()}) by hand instead:
 *
 * <pre>{@code
 * record Mlp(Linear hidden, Linear output) implements Module {
 *   public List<Child> children() {
 *     return List.of(new Child("hidden", hidden), new Child("output", output));
 *   }
 * }
 * }</pre>
 *
 * <p><b>Nothing is forgotten silently.</b> Either way, a layer or a parameter held in a field but
 * not registered would be neither trained nor saved, so {@link #namedParameters()} (which
 * optimizers and {@link dev.tapegrad.io.StateDict} read) refuses it: every non-static field
 * whose declared type is a {@code Module}, a {@link Variable}, or an array, collection, map or
 * {@code Optional} of them, must be registered (as a child or a local parameter) under the
 * field's name, either spelled as in Java ({@code lmHead}) or in PyTorch's snake case
 * ({@code lm_head}, and {@code ln1} as {@code ln_1} too); otherwise an {@link IllegalStateException} names the class and the field.
 * The check reads field names and declared types only, never values, so it needs no
 * {@code opens} from a named module. A field that is deliberately not part of the module (a
 * reference to a layer owned elsewhere, a constant) is declared {@code transient}; keep several
 * layers in a {@link ModuleList}. Note: variables captured by an anonymous class are not fields
 * the check can see (javac makes synthetic ones), so such a module must list them correctly itself.
 *
 * <p><b>Training and evaluation.</b> {@link #train()} and {@link #eval()} set the mode of this
 * module and of every module below it, as PyTorch's {@code module.train()} and
 * {@code module.eval()}: layers that behave differently at training time ({@link Dropout},
 * {@link Recurrent}'s dropout between layers) read it. Modules start in training mode.
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
   * @throws IllegalStateException naming the class and the field if a module of the tree holds a
   *     layer or a parameter in a field without registering it (see the class description)
   */
  default Map<String, Variable> namedParameters() {
    Map<String, Variable> all = new LinkedHashMap<>();
    Set<Variable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    collect("", this, all, seen);
    return Collections.unmodifiableMap(all);
  }

  /**
   * {@return the parameters in {@link #namedParameters()} order}
   *
   * @throws IllegalStateException as {@link #namedParameters()}
   */
  default List<Variable> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /**
   * Sets the training mode of this module and of every module below it, PyTorch's
   * {@code module.train(mode)}. This default passes the mode on to the children; a module with a
   * mode of its own ({@link AbstractModule}) also keeps it.
   *
   * <p>Note: PyTorch returns the module, for {@code model = Net().eval()}; in Java that would
   * return the interface type, so these return nothing.
   *
   * @param mode true for training, false for evaluation
   */
  default void train(boolean mode) {
    for (Child child : children()) {
      child.module().train(mode);
    }
  }

  /** Puts this module and every module below it in training mode: {@code train(true)}. */
  default void train() {
    train(true);
  }

  /**
   * Puts this module and every module below it in evaluation mode, PyTorch's
   * {@code module.eval()}: {@code train(false)}. Dropout then drops nothing.
   */
  default void eval() {
    train(false);
  }

  /**
   * Returns whether this module is in training mode. This default, for a module without a mode of
   * its own, says whether every child is (true when there are none); {@link AbstractModule} keeps
   * the mode last set.
   *
   * @return true in training mode, false in evaluation mode
   */
  default boolean isTraining() {
    for (Child child : children()) {
      if (!child.module().isTraining()) {
        return false;
      }
    }
    return true;
  }

  /** Adds {@code module}'s parameters under {@code prefix}, depth first, after checking its fields. */
  private static void collect(String prefix, Module module, Map<String, Variable> all, Set<Variable> seen) {
    Map<String, Variable> local = module.localParameters();
    List<Child> children = module.children();
    RegisteredFields.check(module, local, children);
    local.forEach((name, v) -> {
      if (seen.add(v) && all.put(prefix + name, v) != null) {
        throw new IllegalArgumentException("two parameters are named '" + prefix + name + "'");
      }
    });
    for (Child child : children) {
      collect(prefix + child.name() + ".", child.module(), all, seen);
    }
  }
}
