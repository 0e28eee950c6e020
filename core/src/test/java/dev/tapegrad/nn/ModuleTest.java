package dev.tapegrad.nn;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.io.StateDict;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.optim.Adam;
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
  void everyLayerAndCellIsAModuleNamedAsInPyTorch() {
    // nn.LSTMCell's names; an nn.LSTM adds the layer's index (weight_ih_l1, as the test above shows)
    RecurrentCell cell = RecurrentCell.create(CellKind.LSTM, 3, 2, new SplittableRandom(4), 1);
    assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"),
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

  /** The silent mistake: a layer held in a field and left out of a hand-written {@code children()}. */
  private static final class Forgetful implements Module {
    final Linear hidden = Linear.create(2, 3, new SplittableRandom(9));
    final Linear output = Linear.create(3, 2, new SplittableRandom(10));

    @Override
    public List<Child> children() {
      return List.of(new Child("hidden", hidden));
    }
  }

  @Test
  void aLayerLeftOutOfChildrenIsAnErrorNamingTheClassAndTheField() {
    IllegalStateException e = assertThrowsWithMessage(IllegalStateException.class,
        () -> new Forgetful().namedParameters(), "Forgetful: field 'output' (Linear)", "neither trained nor saved",
        "transient");
    assertFalse(e.getMessage().contains("\n"));
    // and so every consumer of the parameters refuses it before anything is trained or saved
    assertThrows(IllegalStateException.class, () -> Adam.builder().build(new Forgetful().namedParameters()));
    assertThrows(IllegalStateException.class, () -> StateDict.of(new Forgetful()));
  }

  /** A parameter of its own in a field, left out of a hand-written {@code localParameters()}. */
  private static final class ForgetfulScale implements Module {
    final Variable scale = Variable.parameter("scale", Tensor.zeros(1));
    final Variable shift = Variable.parameter("shift", Tensor.zeros(1));

    @Override
    public Map<String, Variable> localParameters() {
      return Map.of("scale", scale);
    }
  }

  @Test
  void aParameterLeftOutOfLocalParametersIsAnError() {
    assertThrowsWithMessage(IllegalStateException.class, () -> new ForgetfulScale().parameters(),
        "field 'shift' (Variable) holds a parameter");
  }

  /** Layers in a plain list: PyTorch's silent pitfall (a Python list instead of nn.ModuleList). */
  private static final class PlainList implements Module {
    final List<Linear> layers = List.of(Linear.create(1, 1, new SplittableRandom(11)));
  }

  @Test
  void aPlainListOfLayersIsAnErrorAndAModuleListIsRegistered() {
    assertThrowsWithMessage(IllegalStateException.class, () -> new PlainList().namedParameters(),
        "field 'layers' (List)");
    Module listed = new Module() {
      final ModuleList<Linear> layers = ModuleList.of(List.of(Linear.create(1, 1, new SplittableRandom(12)),
          Linear.create(1, 1, new SplittableRandom(13))));

      @Override
      public List<Child> children() {
        return List.of(new Child("layers", layers));
      }
    };
    assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
        List.copyOf(listed.namedParameters().keySet()));
  }

  /** A record whose components are named in Java and registered in PyTorch's snake case. */
  private record Pair(Linear lmHead, Linear encoder) implements Module {
    @Override
    public List<Child> children() {
      return List.of(new Child("lm_head", lmHead), new Child("encoder", encoder));
    }
  }

  /** Fields named in Java, registered under nanoGPT's names, a number after a letter being a word of its own. */
  private static final class NumberedNorms extends AbstractModule {
    final LayerNorm ln1 = register("ln_1", LayerNorm.create(2));
    final LayerNorm lnF = register("ln_f", LayerNorm.create(2));
    final Linear weightIhL0 = register("weight_ih_l0", Linear.create(1, 1, new SplittableRandom(18)));
  }

  /** A reference to a layer owned elsewhere, declared transient. */
  private static final class Borrower implements Module {
    final Linear own = Linear.create(1, 1, new SplittableRandom(14));
    final transient Linear borrowed = Linear.create(1, 1, new SplittableRandom(15));

    @Override
    public List<Child> children() {
      return List.of(new Child("own", own));
    }
  }

  @Test
  void aFieldMayBeRegisteredInSnakeCaseOrDeclaredTransient() {
    Pair pair = new Pair(Linear.create(1, 1, new SplittableRandom(16)), Linear.create(1, 1, new SplittableRandom(17)));
    assertEquals(List.of("lm_head.weight", "lm_head.bias", "encoder.weight", "encoder.bias"),
        List.copyOf(pair.namedParameters().keySet()));
    assertEquals(List.of("own.weight", "own.bias"), List.copyOf(new Borrower().namedParameters().keySet()));
    assertEquals(List.of("ln_1.weight", "ln_1.bias", "ln_f.weight", "ln_f.bias", "weight_ih_l0.weight",
        "weight_ih_l0.bias"), List.copyOf(new NumberedNorms().namedParameters().keySet()));
  }

  @Test
  void trainAndEvalReachEveryModuleBelow() {
    Net net = new Net();
    assertTrue(net.isTraining());
    net.eval();
    assertFalse(net.isTraining());
    assertFalse(net.embed.isTraining());
    assertFalse(net.rnn.isTraining());
    assertFalse(((Linear) net.head.children().get(0).module()).isTraining());
    net.train();
    assertTrue(net.rnn.isTraining());
    assertTrue(net.isTraining());
  }
}
