package dev.tapegrad.nn;

import dev.tapegrad.autograd.Variable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The base of a module that registers its layers and parameters as it creates them, PyTorch's
 * {@code nn.Module} attribute assignment written out: {@code this.fc = register("fc", layer)}.
 * Registration order is the order of {@link #namedParameters()}; the registered name, usually
 * the field's, prefixes the layer's parameter names. A field that holds a layer or a parameter
 * and was not registered is an error when the parameters are first listed (see {@link Module}).
 * It also keeps the module's training mode, which {@link #train(boolean)} sets here and below.
 *
 * <pre>{@code
 * final class Block extends AbstractModule {
 *   final Linear fc;
 *   final Dropout dropout;
 *   final Variable scale;
 *
 *   Block(RandomGenerator random) {
 *     fc = register("fc", Linear.create(64, 64, random));
 *     dropout = register("dropout", Dropout.create(0.1, random));
 *     scale = register("scale", Variable.parameter("scale", Tensor.full(1f, 64)));
 *   }
 * }
 * Block block = new Block(new SplittableRandom(1));
 * block.namedParameters().keySet();   // [fc.weight, fc.bias, scale]
 * block.eval();                       // the dropout drops nothing now
 * }</pre>
 *
 * <p>Note: the registry and the mode make a module mutable while it is built, and the mode may
 * change later; like a tape, a module is meant for one thread at a time.
 */
public abstract class AbstractModule implements Module {

  private final Map<String, Variable> parameters = new LinkedHashMap<>();
  private final Map<String, Module> modules = new LinkedHashMap<>();
  private final Set<String> absentParameters = new LinkedHashSet<>();
  private boolean training = true;

  /** Starts with nothing registered, in training mode. */
  protected AbstractModule() {}

  /**
   * Registers a submodule under a name, PyTorch's {@code self.name = module}: its parameters are
   * listed as {@code name.}…, and the mode set on this module reaches it.
   *
   * @param name the name, usually the field's (non-empty, no dots, not yet registered)
   * @param module the submodule
   * @param <M> its type
   * @return {@code module}, to assign to the field
   * @throws IllegalArgumentException if the name is empty, dotted or already registered
   */
  protected final <M extends Module> M register(String name, M module) {
    Objects.requireNonNull(module, "module");
    checkNew(name);
    modules.put(name, module);
    return module;
  }

  /**
   * Registers a parameter of this module under a name, PyTorch's
   * {@code self.name = nn.Parameter(...)}.
   *
   * <p>{@code null} registers the name with no parameter, PyTorch's
   * {@code register_parameter(name, None)}: an optional parameter left out (a layer norm without
   * its affine weight and bias), so the field that holds {@code null} counts as registered.
   *
   * @param name the name, usually the field's (non-empty, no dots, not yet registered)
   * @param parameter a trainable variable ({@link Variable#parameter}), or {@code null} for none
   * @return {@code parameter}, to assign to the field
   * @throws IllegalArgumentException if the name is empty, dotted or already registered, or the
   *     variable needs no gradient
   */
  protected final Variable register(String name, Variable parameter) {
    checkNew(name);
    if (parameter == null) {
      absentParameters.add(name);
      return null;
    }
    if (!parameter.requiresGrad()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": '" + name + "' (" + parameter
          + ") is not a trainable parameter; only Variable.parameter(...) can be registered");
    }
    parameters.put(name, parameter);
    return parameter;
  }

  private void checkNew(String name) {
    new Child(name, this);   // the same rule as every submodule name: non-empty, no dots
    if (parameters.containsKey(name) || modules.containsKey(name) || absentParameters.contains(name)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": the name '" + name
          + "' is already registered");
    }
  }

  /** {@return the names registered with no parameter ({@code register(name, null)})} */
  Set<String> absentParameters() {
    return Collections.unmodifiableSet(absentParameters);
  }

  /** {@return the registered parameters, in registration order (read-only)} */
  @Override
  public final Map<String, Variable> localParameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** {@return the registered submodules, in registration order} */
  @Override
  public final List<Child> children() {
    List<Child> children = new ArrayList<>(modules.size());
    modules.forEach((name, module) -> children.add(new Child(name, module)));
    return Collections.unmodifiableList(children);
  }

  /**
   * Sets the training mode of this module and of every registered submodule, recursively.
   *
   * @param mode true for training, false for evaluation
   */
  @Override
  public final void train(boolean mode) {
    training = mode;
    Module.super.train(mode);
  }

  /** {@return whether this module is in training mode: the mode last set, true at first} */
  @Override
  public final boolean isTraining() {
    return training;
  }
}
