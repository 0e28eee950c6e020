package dev.tapegrad.io;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Module;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A module's parameters by dotted name, PyTorch's {@code state_dict}, saved to and loaded from a
 * {@link Safetensors} file: what {@code torch.save(model.state_dict())} and
 * {@code model.load_state_dict(state, strict)} do, in a format both sides read.
 *
 * <p>Loading matches tensors to parameters by name and checks every shape, then copies. With
 * {@code strict}, a name the module has and the file lacks (missing) or the file has and the module
 * lacks (unexpected) is an error listing them all; without, they are returned in the
 * {@link Result} and the matching parameters are loaded. A shape that differs is an error either
 * way. Nothing is copied unless everything checks out, and every message is one line.
 *
 * <pre>{@code
 * StateDict.save(Path.of("mlp.safetensors"), mlp, Map.of("epochs", "40"));
 * Mlp fresh = new Mlp(new SplittableRandom(0));
 * StateDict.Result r = StateDict.load(Path.of("mlp.safetensors"), fresh, true);
 * r.metadata().get("epochs");   // "40"
 * }</pre>
 */
public final class StateDict {

  /** The most names a message lists; the rest are counted. */
  private static final int LISTED_NAMES = 8;

  private StateDict() {}

  /**
   * What a load found besides the matching tensors, PyTorch's {@code _IncompatibleKeys} plus the
   * file's metadata.
   *
   * @param missing names the module has and the tensors lack, in the module's order
   * @param unexpected names the tensors have and the module lacks, in the tensors' order
   * @param metadata the file's {@code __metadata__} (empty when loading from tensors)
   */
  public record Result(List<String> missing, List<String> unexpected, Map<String, String> metadata) {
    /**
     * Copies the lists and the map.
     *
     * @param missing names the module has and the tensors lack
     * @param unexpected names the tensors have and the module lacks
     * @param metadata the file's metadata
     */
    public Result {
      missing = List.copyOf(missing);
      unexpected = List.copyOf(unexpected);
      metadata = Map.copyOf(metadata);
    }
  }

  /**
   * Returns the module's parameter values by dotted name, in {@link Module#namedParameters()}
   * order: the live tensors, not copies.
   *
   * @param module the module
   * @return the state dict
   */
  public static Map<String, Tensor> of(Module module) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    module.namedParameters().forEach((name, v) -> tensors.put(name, v.value()));
    return tensors;
  }

  /**
   * Writes the module's state dict, atomically, as {@link Safetensors#write} does.
   *
   * @param file the file to create or replace
   * @param module the module
   * @param metadata string entries for the file's {@code __metadata__}; may be empty
   * @throws java.io.UncheckedIOException if the file cannot be written
   */
  public static void save(Path file, Module module, Map<String, String> metadata) {
    Safetensors.write(file, of(module), metadata);
  }

  /**
   * Reads a safetensors file and loads it into the module; see {@link #load(Module, Map, boolean)}.
   *
   * @param file the file
   * @param module the module whose parameters receive the values
   * @param strict whether missing and unexpected names are errors
   * @return what was missing or unexpected (empty lists when strict), and the file's metadata
   * @throws IllegalArgumentException naming the file and the problem if the names (when strict) or
   *     a shape do not match; the module is then unchanged
   * @throws SafetensorsFormatException if the file is not a valid safetensors file
   * @throws java.io.UncheckedIOException if it cannot be read
   */
  public static Result load(Path file, Module module, boolean strict) {
    Safetensors.Contents contents = Safetensors.read(file);
    Result r;
    try {
      r = load(module, contents.tensors(), strict);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    return new Result(r.missing(), r.unexpected(), contents.metadata());
  }

  /**
   * Copies tensors into the module's parameters by name, after checking the names (when strict)
   * and every shape.
   *
   * @param module the module whose parameters receive the values
   * @param tensors the values by dotted name
   * @param strict whether missing and unexpected names are errors
   * @return what was missing or unexpected (empty lists when strict), and no metadata
   * @throws IllegalArgumentException listing the missing and unexpected names (when strict), or
   *     naming a tensor whose shape differs from its parameter's; the module is then unchanged
   */
  public static Result load(Module module, Map<String, Tensor> tensors, boolean strict) {
    Map<String, Variable> params = module.namedParameters();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    params.forEach((name, v) -> shapes.put(name, v.shape()));
    Result r = check(shapes, tensors, strict);
    params.forEach((name, v) -> {
      Tensor t = tensors.get(name);
      if (t != null) {
        v.value().copyFrom(t);
      }
    });
    return r;
  }

  /**
   * Checks tensors against expected names and shapes without copying anything: the check
   * {@link #load(Module, Map, boolean)} makes, for callers that must refuse a file before they
   * build the module (whose size the file's metadata may give).
   *
   * @param expected the shape of every name the module has, in its order
   * @param tensors the tensors by name
   * @param strict whether missing and unexpected names are errors
   * @return what was missing or unexpected (empty lists when strict), and no metadata
   * @throws IllegalArgumentException listing the missing and unexpected names (when strict), or
   *     naming a tensor whose shape differs from the expected one
   */
  public static Result check(Map<String, Shape> expected, Map<String, Tensor> tensors, boolean strict) {
    List<String> missing = new ArrayList<>();
    expected.keySet().forEach(name -> {
      if (!tensors.containsKey(name)) {
        missing.add(name);
      }
    });
    List<String> unexpected = new ArrayList<>();
    tensors.keySet().forEach(name -> {
      if (!expected.containsKey(name)) {
        unexpected.add(name);
      }
    });
    if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
      throw new IllegalArgumentException("the names do not match the module's:"
          + (missing.isEmpty() ? "" : " missing " + quoted(missing) + (unexpected.isEmpty() ? "" : ";"))
          + (unexpected.isEmpty() ? "" : " unexpected " + quoted(unexpected)));
    }
    expected.forEach((name, shape) -> {
      Tensor t = tensors.get(name);
      if (t != null && !t.shape().equals(shape)) {
        throw new IllegalArgumentException("size mismatch for '" + name + "': the tensor has shape " + t.shape()
            + ", the module's parameter " + shape);
      }
    });
    return new Result(missing, unexpected, Map.of());
  }

  /** The names quoted, the first {@value #LISTED_NAMES} of them and how many more, so that the message stays one short line. */
  private static String quoted(List<String> names) {
    String shown = names.stream().limit(LISTED_NAMES).map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    return names.size() <= LISTED_NAMES ? shown : shown + " and " + (names.size() - LISTED_NAMES) + " more";
  }
}
