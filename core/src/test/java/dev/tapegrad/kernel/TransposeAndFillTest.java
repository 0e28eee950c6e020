package dev.tapegrad.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class TransposeAndFillTest {

  @Test
  void transposeMovesEveryElementAcrossTileEdges() {
    // 19×37 crosses the 16-wide tiles in both directions, with ragged edges
    int rows = 19;
    int cols = 37;
    float[] m = new float[rows * cols];
    for (int i = 0; i < m.length; i++) {
      m[i] = i;
    }
    float[] t = new float[rows * cols];
    ElementwiseKernels.transpose(m, rows, cols, t);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        assertArrayEquals(new float[] {m[i * cols + j]}, new float[] {t[j * rows + i]}, "(" + i + ", " + j + ")");
      }
    }
  }

  @Test
  void fillRowsRepeatsTheRowAndLeavesTheRestAlone() {
    float[] dst = {9, 9, 9, 9, 9, 9, 9};
    ElementwiseKernels.fillRows(dst, new float[] {1, 2, 3}, 2);
    assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3, 9}, dst);
  }
}
