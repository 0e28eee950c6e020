package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The packages of core and of rnn form layers: each package imports only from the packages listed
 * before it (and itself), so the dependencies are a DAG with no edge back up, and a reader can take
 * the packages in this order. The test reads the import lines of every main source file.
 */
class PackageLayersTest {

  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.tapegrad(?:\\.[a-z]\\w*)*)\\.[A-Z]",
      Pattern.MULTILINE);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "core | dev.tapegrad.kernel, dev.tapegrad.tensor, dev.tapegrad.autograd, dev.tapegrad.ops, dev.tapegrad.nn, "
          + "dev.tapegrad.optim, dev.tapegrad.io",
      "rnn | dev.tapegrad.rnn, dev.tapegrad.rnn.text, dev.tapegrad.rnn.sample, dev.tapegrad.rnn.train, "
          + "dev.tapegrad.rnn.checkpoint, dev.tapegrad.rnn.visualize, dev.tapegrad.rnn.cli"})
  void everyPackageImportsOnlyFromTheLayersBeforeIt(String module, String order) throws IOException {
    List<String> layers = List.of(order.split(",\\s*"));
    Path sources = DocSnippetsTest.REPOSITORY.resolve(module).resolve("src/main/java");
    List<String> backEdges = new ArrayList<>();
    List<String> unlisted = new ArrayList<>();
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String pkg = sources.relativize(file.getParent()).toString().replace('/', '.').replace('\\', '.');
        if (pkg.isEmpty()) {
          continue;   // module-info.java
        }
        int layer = layers.indexOf(pkg);
        if (layer < 0) {
          unlisted.add(pkg);
          continue;
        }
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          int used = layers.indexOf(m.group(1));
          if (used > layer) {
            backEdges.add(sources.relativize(file) + " imports " + m.group(1));
          }
        }
      }
    }
    assertEquals(List.of(), unlisted, "packages of " + module + " missing from the layer order");
    assertEquals(List.of(), backEdges, module + ": imports from a later layer (reorder, or move the code)");
  }
}
