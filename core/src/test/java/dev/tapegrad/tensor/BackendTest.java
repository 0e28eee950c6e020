package dev.tapegrad.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** {@link Backend}: its description, its checks, and the backend of this JVM. */
class BackendTest {

  @Test
  void describesScalarAndSimdBackendsAsTheVersionLineShowsThem() {
    assertEquals("scalar", new Backend(false, 0, 1, 1).toString());
    assertEquals("simd-512 (16 floats), 2 threads", new Backend(true, 512, 16, 2).toString());
    assertEquals("simd-256 (8 floats), 1 thread", new Backend(true, 256, 8, 1).toString());
  }

  @Test
  void rejectsValuesThatDescribeNoBackendWithTheValuesInTheMessage() {
    IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
        () -> new Backend(true, 256, 8, 0));
    assertEquals("threads must be at least 1, got 0", threads.getMessage());
    IllegalArgumentException lanes = assertThrows(IllegalArgumentException.class,
        () -> new Backend(true, 256, 16, 2));
    assertEquals("a SIMD vector of 256 bits cannot hold 16 floats", lanes.getMessage());
    IllegalArgumentException scalar = assertThrows(IllegalArgumentException.class,
        () -> new Backend(false, 0, 1, 2));
    assertEquals("the scalar backend has vectorBitSize 0, floatsPerVector 1 and 1 thread, got 0, 1 and 2",
        scalar.getMessage());
  }

  @Test
  void currentFollowsTheKernelsPropertyOfThisJvm() {
    // the suite runs twice: once with the Vector API (surefire's argLine) and once with -Dtapegrad.kernels=scalar
    Backend backend = Backend.current();
    boolean scalarForced = "scalar".equals(System.getProperty("tapegrad.kernels"));
    assertEquals(!scalarForced, backend.simd(), backend.toString());
    if (backend.simd()) {
      assertTrue(backend.vectorBitSize() >= 64, backend.toString());
      assertEquals(backend.vectorBitSize(), Float.SIZE * backend.floatsPerVector());
      // outside a pool: the common pool's workers and the calling thread
      assertEquals(ForkJoinPool.getCommonPoolParallelism() + 1, backend.threads());
    } else {
      assertEquals(new Backend(false, 0, 1, 1), backend);
    }
  }

  @Test
  void currentReportsTheThreadsOfThePoolItIsCalledIn() throws Exception {
    ForkJoinPool pool = new ForkJoinPool(3);
    try {
      Backend inside = pool.submit(Backend::current).get();
      assertEquals(inside.simd() ? 3 : 1, inside.threads(), inside.toString());
      assertEquals(Backend.current().simd(), inside.simd());
    } finally {
      pool.shutdown();
    }
  }
}
