package dev.tapegrad.nn;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * Several submodules in order, PyTorch's {@code nn.ModuleList}: element i is the child named
 * {@code "i"}, so the parameters of a list registered as {@code blocks} are named
 * {@code blocks.0.}…, {@code blocks.1.}… A plain {@code List} of layers held in a field is not a
 * module, and {@link Module}'s check refuses it unregistered; this is the list to register.
 *
 * <pre>{@code
 * List<Linear> layers = new ArrayList<>();
 * for (int i = 0; i < 3; i++) {
 *   layers.add(Linear.create(16, 16, random));
 * }
 * this.layers = register("layers", ModuleList.of(layers));   // layers.0.weight, layers.0.bias, …
 * for (Linear layer : this.layers) {
 *   x = layer.forward(tape, x);
 * }
 * }</pre>
 *
 * @param <M> the type of the elements
 */
public final class ModuleList<M extends Module> extends AbstractList<M> implements Module, RandomAccess {

  // registered element by element, as the children "0", "1", …, so not under the field's own name
  private final transient List<M> modules;

  private ModuleList(List<M> modules) {
    this.modules = modules;
  }

  /**
   * Returns a list of these modules, in this order (copied; the list cannot change).
   *
   * @param modules the modules
   * @param <M> their type
   * @return the list
   */
  public static <M extends Module> ModuleList<M> of(List<? extends M> modules) {
    return new ModuleList<>(List.copyOf(modules));
  }

  @Override
  public M get(int index) {
    return modules.get(index);
  }

  @Override
  public int size() {
    return modules.size();
  }

  /** {@return the elements as children named by their positions, {@code "0"}, {@code "1"} …} */
  @Override
  public List<Child> children() {
    Child[] children = new Child[modules.size()];
    for (int i = 0; i < children.length; i++) {
      children[i] = new Child(Integer.toString(i), modules.get(i));
    }
    return List.of(children);
  }
}
