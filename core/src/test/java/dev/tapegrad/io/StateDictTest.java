package dev.tapegrad.io;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Module;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDictTest {

  @TempDir Path dir;

  /** Two linear layers, named hidden and output. */
  private static final class Mlp implements Module {
    final Linear hidden;
    final Linear output;

    Mlp(long seed) {
      SplittableRandom random = new SplittableRandom(seed);
      hidden = Linear.create(2, 3, random);
      output = Linear.create(3, 2, random);
    }

    @Override
    public List<Child> children() {
      return List.of(new Child("hidden", hidden), new Child("output", output));
    }
  }

  private static void assertSameValues(Module expected, Module actual) {
    List<Variable> e = expected.parameters();
    List<Variable> a = actual.parameters();
    for (int i = 0; i < e.size(); i++) {
      assertArrayEquals(e.get(i).value().storage(), a.get(i).value().storage());
    }
  }

  @Test
  void savesTheDottedNamesAndLoadsThemBackStrictly() {
    Mlp trained = new Mlp(1);
    Path file = dir.resolve("mlp.safetensors");
    StateDict.save(file, trained, Map.of("epochs", "40"));
    assertEquals(List.of("hidden.weight", "hidden.bias", "output.weight", "output.bias"),
        List.copyOf(Safetensors.read(file).tensors().keySet()));

    Mlp fresh = new Mlp(2);
    long before = fresh.hidden.weight().value().version();
    StateDict.Result r = StateDict.load(file, fresh, true);
    assertSameValues(trained, fresh);
    assertEquals(List.of(), r.missing());
    assertEquals(List.of(), r.unexpected());
    assertEquals("40", r.metadata().get("epochs"));
    assertEquals(before + 1, fresh.hidden.weight().value().version(), "a load is an in-place change");
  }

  @Test
  void strictLoadingListsEveryMissingAndUnexpectedNameAndChangesNothing() {
    Map<String, Tensor> tensors = new LinkedHashMap<>(StateDict.of(new Mlp(1)));
    tensors.remove("output.bias");
    tensors.remove("hidden.weight");
    tensors.put("output.scale", Tensor.zeros(1));
    Mlp fresh = new Mlp(2);
    Mlp untouched = new Mlp(2);
    IllegalArgumentException e = assertThrowsWithMessage(IllegalArgumentException.class,
        () -> StateDict.load(fresh, tensors, true), "missing 'hidden.weight', 'output.bias'",
        "unexpected 'output.scale'");
    assertFalse(e.getMessage().contains("\n"));
    assertSameValues(untouched, fresh);
  }

  /** A message lists eight names and counts the rest, however many a hostile file makes it miss. */
  @Test
  void aLongListOfMissingNamesIsCutShortAndCounted() {
    Map<String, Shape> expected = new LinkedHashMap<>();
    for (int i = 0; i < 100_000; i++) {
      expected.put("rnn.weight_ih_l" + i, Shape.of(1));
    }
    IllegalArgumentException e = assertThrowsWithMessage(IllegalArgumentException.class,
        () -> StateDict.check(expected, Map.of(), true), "missing 'rnn.weight_ih_l0', ", "'rnn.weight_ih_l7' and 99992 more");
    assertTrue(e.getMessage().length() < 300, e.getMessage());
  }

  @Test
  void nonStrictLoadingLoadsWhatMatchesAndReportsTheRest() {
    Mlp trained = new Mlp(1);
    Map<String, Tensor> tensors = new LinkedHashMap<>(StateDict.of(trained));
    tensors.remove("output.bias");
    tensors.put("extra", Tensor.zeros(3));
    Mlp fresh = new Mlp(2);
    float[] biasBefore = fresh.output.bias().value().toArray();
    StateDict.Result r = StateDict.load(fresh, tensors, false);
    assertEquals(List.of("output.bias"), r.missing());
    assertEquals(List.of("extra"), r.unexpected());
    assertArrayEquals(trained.hidden.weight().value().storage(), fresh.hidden.weight().value().storage());
    assertArrayEquals(biasBefore, fresh.output.bias().value().storage(), "a missing parameter keeps its value");
  }

  @Test
  void aWrongShapeIsAnErrorEvenWhenNotStrict() {
    Map<String, Tensor> tensors = new LinkedHashMap<>(StateDict.of(new Mlp(1)));
    tensors.put("output.weight", Tensor.zeros(3, 2));
    Mlp fresh = new Mlp(2);
    Mlp untouched = new Mlp(2);
    for (boolean strict : new boolean[] {true, false}) {
      assertThrowsWithMessage(IllegalArgumentException.class, () -> StateDict.load(fresh, tensors, strict),
          "size mismatch for 'output.weight'", "[3, 2]", "[2, 3]");
    }
    assertSameValues(untouched, fresh);
  }

  @Test
  void aFileErrorNamesTheFile() {
    Path file = dir.resolve("other.safetensors");
    Safetensors.write(file, Map.of("w", Tensor.zeros(1)), Map.of());
    assertThrowsWithMessage(IllegalArgumentException.class, () -> StateDict.load(file, new Mlp(1), true),
        file.toString(), "missing 'hidden.weight'", "unexpected 'w'");
  }
}
