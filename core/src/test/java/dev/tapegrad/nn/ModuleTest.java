package dev.tapegrad.nn;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ModuleTest {

  /** A model with a parameter of its own and two levels of children. */
  private static final class Net implements Module {
    final Variable scale = Variable.parameter("scale", Tensor.zeros(1));
    final Embedding embed = Embedding.create(4, 3, new SplittableRandom(1));
    final Recurrent rnn = Recurrent.create(CellKind.GRU, 3, 2, 2, new SplittableRandom(2));
    final Module head = new Module() {
      final Linear out = Linear.create(2, 4, new SplittableRandom(3));

      @Override
      public List<Child> children() {
        return List.of(new Child("out", out));
      }
    };

    @Override
    public Map<String, Variable> localParameters() {
      return Map.of("scale", scale);
    }

    @Override
    public List<Child> children() {
      return List.of(new Child("embed", embed), new Child("rnn", rnn), new Child("head", head));
    }
  }

  @Test
  void namesParametersWithDotsFromTheFieldsInOrder() {
    Net net = new Net();
    assertEquals(List.of("scale", "embed.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0",
        "rnn.bias_hh_l0", "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1",
        "head.out.weight", "head.out.bias"), List.copyOf(net.namedParameters().keySet()));
    assertSame(net.rnn.cells().get(1).weightHh(), net.namedParameters().get("rnn.weight_hh_l1"));
    assertEquals(List.copyOf(net.namedParameters().values()), net.parameters());
  }

  @Test
  void everyLayerAndCellIsAModule() {
    RecurrentCell cell = RecurrentCell.create(CellKind.LSTM, 3, 2, new SplittableRandom(4), 1);
    assertEquals(List.of("weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"),
        List.copyOf(cell.namedParameters().keySet()));
    assertEquals(List.of("weight", "bias"),
        List.copyOf(Linear.create(2, 2, new SplittableRandom(5)).namedParameters().keySet()));
  }

  @Test
  void aSharedParameterIsListedOnceUnderItsFirstName() {
    Linear shared = Linear.create(2, 2, new SplittableRandom(6));
    Module tied = new Module() {
      @Override
      public List<Child> children() {
        return List.of(new Child("encoder", shared), new Child("decoder", shared));
      }
    };
    assertEquals(List.of("encoder.weight", "encoder.bias"), List.copyOf(tied.namedParameters().keySet()));
  }

  @Test
  void refusesADottedChildNameAndTwoParametersOfOneName() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> new Module.Child("a.b", Linear.create(1, 1, new SplittableRandom(7))), "'a.b'");
    Module clash = new Module() {
      @Override
      public Map<String, Variable> localParameters() {
        return Map.of("out.weight", Variable.parameter("w", Tensor.zeros(1)));
      }

      @Override
      public List<Child> children() {
        return List.of(new Child("out", Linear.create(1, 1, new SplittableRandom(8))));
      }
    };
    assertThrowsWithMessage(IllegalArgumentException.class, clash::namedParameters, "'out.weight'");
  }
}
