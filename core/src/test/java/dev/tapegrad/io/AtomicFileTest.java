package dev.tapegrad.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

  @TempDir Path dir;

  @Test
  void aBodyThatFailsHalfwayLeavesTheOldContentAndNoTemporaryFile() throws IOException {
    Path file = Files.writeString(dir.resolve("metrics.jsonl"), "old\n");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFile.write(file, channel -> {
      channel.write(ByteBuffer.wrap("half of the new".getBytes(StandardCharsets.UTF_8)));
      throw new IOException("disk full");
    }));
    assertTrue(e.getMessage().contains("disk full"), e.getMessage());
    assertEquals("old\n", Files.readString(file));
    assertEquals(Set.of("metrics.jsonl"), names());
  }

  /** One readable reason, with no temporary file's name in it. */
  @Test
  void aMissingDirectoryIsNamedAsTheReason() {
    Path file = dir.resolve("missing").resolve("x.dot");
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFile.write(file, new byte[1]));
    assertEquals("cannot write " + file + ": directory " + file.getParent() + " does not exist", e.getMessage());
  }

  @Test
  void deleteLeftoversRemovesOnlyTheTemporaryFilesOfTheGivenTarget() throws IOException {
    Path file = dir.resolve("model.safetensors");
    // Learn the temporary name a real write uses by looking at the directory during the write.
    List<String> seen = new ArrayList<>();
    AtomicFile.write(file, channel -> {
      seen.addAll(names());
      channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    });
    String temporary = seen.stream().filter(n -> !n.equals("model.safetensors")).findFirst().orElseThrow();
    assertTrue(temporary.startsWith(".model.safetensors.") && temporary.endsWith(".tmp"), temporary);
    // A process killed before the rename leaves such a file; two kills leave two.
    Files.writeString(dir.resolve(temporary), "torn");
    Files.writeString(dir.resolve(".model.safetensors." + UUID.randomUUID() + ".tmp"), "torn too");
    Set<String> others = Set.of(".model.safetensors.not-a-uuid.tmp", ".other.safetensors." + UUID.randomUUID() + ".tmp",
        "model.safetensors.tmp", "notes.txt");
    for (String name : others) {
      Files.writeString(dir.resolve(name), "keep");
    }

    assertEquals(2, AtomicFile.deleteLeftovers(file));

    Set<String> expected = new HashSet<>(others);
    expected.add("model.safetensors");
    assertEquals(expected, names());
    assertEquals(3, Files.size(file));
    assertEquals(0, AtomicFile.deleteLeftovers(file));
    assertEquals(0, AtomicFile.deleteLeftovers(dir.resolve("absent-dir").resolve("x")));
  }

  private Set<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}
