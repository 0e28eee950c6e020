package dev.tapegrad.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The cells' names; their gate math is tested against its scalar reference in {@code GateKernelsTest}. */
class CellKindTest {

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void idsParseBackInAnyCaseAndUnknownOnesNameTheChoices(CellKind kind) {
    assertEquals(kind, CellKind.parse(kind.id().toUpperCase(java.util.Locale.ROOT)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellKind.parse("tcn"));
    assertEquals("unknown cell 'tcn': choose gru, lstm or rnn", e.getMessage());
  }
}
