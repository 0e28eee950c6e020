package dev.tapegrad.nn;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AbstractModuleTest {

  /** A block written as PyTorch's attribute assignment: each field registered as it is created. */
  private static final class Block extends AbstractModule {
    final Linear fc;
    final Dropout dropout;
    final Variable scale;
    final Recurrent rnn;

    Block() {
      SplittableRandom random = new SplittableRandom(1);
      fc = register("fc", Linear.create(2, 2, random));
      dropout = register("dropout", Dropout.create(0.5, random));
      scale = register("scale", Variable.parameter("scale", Tensor.full(1f, 2)));
      rnn = register("rnn", Recurrent.create(CellKind.RNN, 2, 2, 1, random));
    }
  }

  /** A subclass that adds a layer and forgets to register it. */
  private static final class Forgetful extends AbstractModule {
    final Linear registered = register("registered", Linear.create(1, 1, new SplittableRandom(2)));
    final Linear forgotten = Linear.create(1, 1, new SplittableRandom(3));
  }

  @Test
  void registeredLayersAndParametersAreNamedInRegistrationOrder() {
    Block block = new Block();
    assertEquals(List.of("scale", "fc.weight", "fc.bias", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
        "rnn.bias_hh_l0"), List.copyOf(block.namedParameters().keySet()));
    assertSame(block.fc.weight(), block.namedParameters().get("fc.weight"));
    assertEquals(List.of("fc", "dropout", "rnn"), block.children().stream().map(Module.Child::name).toList());
  }

  @Test
  void aFieldCreatedButNotRegisteredIsAnErrorNamingIt() {
    assertThrowsWithMessage(IllegalStateException.class, () -> new Forgetful().namedParameters(),
        "Forgetful: field 'forgotten' (Linear)", "register(\"forgotten\", ...)");
  }

  @Test
  void evalReachesEveryRegisteredLayerAndTrainBringsThemBack() {
    Block block = new Block();
    assertTrue(block.dropout.isTraining());
    block.eval();
    for (Module m : List.of(block, block.fc, block.dropout, block.rnn)) {
      assertFalse(m.isTraining(), m.toString());
    }
    block.train();
    for (Module m : List.of(block, block.fc, block.dropout, block.rnn)) {
      assertTrue(m.isTraining(), m.toString());
    }
  }

  @Test
  void refusesATakenNameADottedNameAndAConstant() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> new AbstractModule() {
      final Linear a = register("a", Linear.create(1, 1, new SplittableRandom(4)));
      final Linear b = register("a", Linear.create(1, 1, new SplittableRandom(5)));
    }, "'a' is already registered");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> new AbstractModule() {
      final Linear a = register("a.b", Linear.create(1, 1, new SplittableRandom(6)));
    }, "'a.b'");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> new AbstractModule() {
      final Variable c = register("c", Variable.constant(Tensor.zeros(1)));
    }, "'c'", "not a trainable parameter");
  }
}
