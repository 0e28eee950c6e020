package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block in README.md, CONTRIBUTING.md and docs/*.md is compiled and run, so
 * the documentation cannot drift from the code.
 *
 * <p>The blocks of one file become one compilation unit: {@code import} lines are moved to the top
 * ({@code java.util.*} is imported for every file), a block that declares a type ({@code class},
 * {@code record}, {@code interface}, {@code enum}) becomes a top-level type, and every other block
 * becomes the body of its own static method, run in document order with assertions enabled. So a
 * later block may use a type an earlier one declared, but not its local variables. Compiler errors
 * and exceptions name the markdown file and line.
 */
class DocSnippetsTest {

  /** The repository root; surefire sets it, and running from the module directory falls back to "..". */
  static final Path REPOSITORY = Path.of(System.getProperty("tapegrad.repository", "..")).toAbsolutePath().normalize();

  @TempDir Path work;

  /** One fenced block: its text and the markdown line of its first line. */
  record Block(int firstLine, List<String> lines) {}

  /** {@return the markdown files whose Java blocks are checked, relative to the repository} */
  static List<Path> markdownFiles() throws IOException {
    List<Path> files = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CONTRIBUTING.md")));
    try (Stream<Path> docs = Files.list(REPOSITORY.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted()
          .forEach(p -> files.add(REPOSITORY.relativize(p)));
    }
    return files;
  }

  /** {@return the {@code ```java} blocks of a markdown text, in order} */
  static List<Block> javaBlocks(List<String> markdown) {
    List<Block> blocks = new ArrayList<>();
    List<String> current = null;
    int first = 0;
    for (int i = 0; i < markdown.size(); i++) {
      String line = markdown.get(i);
      if (current == null && line.strip().equals("```java")) {
        current = new ArrayList<>();
        first = i + 2;
      } else if (current != null && line.strip().equals("```")) {
        blocks.add(new Block(first, current));
        current = null;
      } else if (current != null) {
        current.add(line);
      }
    }
    return blocks;
  }

  /**
   * Compiles every file's blocks in one javac run (one compiler start instead of one per file), then
   * runs each file's blocks as its own test.
   */
  @TestFactory
  Stream<DynamicTest> everyJavaBlockCompilesAndRuns() throws IOException {
    Path sourceDir = Files.createDirectories(work.resolve("src"));
    Path classesDir = Files.createDirectories(work.resolve("classes"));
    List<Unit> units = new ArrayList<>();
    for (Path file : markdownFiles()) {
      List<Block> blocks = javaBlocks(Files.readAllLines(REPOSITORY.resolve(file), StandardCharsets.UTF_8));
      if (blocks.isEmpty()) {
        continue;
      }
      String className = "Snippets" + file.toString().replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
      Source source = generate(className, blocks);
      Path javaFile = Files.writeString(sourceDir.resolve(className + ".java"), String.join("\n", source.lines()));
      units.add(new Unit(file, className, source, javaFile));
    }
    Map<Path, String> errors = compile(units, classesDir);
    return units.stream().map(unit -> DynamicTest.dynamicTest(unit.file().toString(), () -> {
      if (errors.containsKey(unit.javaFile())) {
        fail("Java blocks in " + unit.file() + " do not compile:\n" + errors.get(unit.javaFile()));
      }
      run(unit, classesDir);
    }));
  }

  /** One markdown file's generated class. */
  private record Unit(Path file, String className, Source source, Path javaFile) {}

  @Test
  void theDocsThatTeachCodeHaveBlocks() throws IOException {
    assertTrue(blocksIn("README.md") >= 1, "README.md");
    assertTrue(blocksIn("docs/CUSTOM-OP.md") >= 3, "docs/CUSTOM-OP.md");
    assertTrue(blocksIn("docs/READING.md") >= 1, "docs/READING.md");
  }

  private static int blocksIn(String file) throws IOException {
    return javaBlocks(Files.readAllLines(REPOSITORY.resolve(file))).size();
  }

  /** The generated compilation unit, and for each of its lines the markdown line it came from (0: none). */
  private record Source(List<String> lines, List<Integer> origins, List<Integer> methodBlocks) {}

  private static Source generate(String className, List<Block> blocks) {
    Set<String> imports = new LinkedHashSet<>(List.of("import java.util.*;"));
    List<String> lines = new ArrayList<>();
    List<Integer> origins = new ArrayList<>();
    List<Integer> methodBlocks = new ArrayList<>();
    List<String> types = new ArrayList<>();
    List<Integer> typeOrigins = new ArrayList<>();
    List<String> methods = new ArrayList<>();
    List<Integer> methodOrigins = new ArrayList<>();
    for (int b = 0; b < blocks.size(); b++) {
      Block block = blocks.get(b);
      List<String> body = new ArrayList<>();
      List<Integer> bodyOrigins = new ArrayList<>();
      for (int i = 0; i < block.lines().size(); i++) {
        String line = block.lines().get(i);
        if (line.startsWith("import ")) {
          imports.add(line.strip());
        } else if (!line.startsWith("package ")) {
          body.add(line);
          bodyOrigins.add(block.firstLine() + i);
        }
      }
      if (declaresType(body)) {
        for (int i = 0; i < body.size(); i++) {
          // a top-level type of the generated file: "public" would need a file of its own
          types.add(body.get(i).replaceFirst("^public ", ""));
          typeOrigins.add(bodyOrigins.get(i));
        }
      } else {
        methodBlocks.add(b);
        methods.add("  static void block" + b + "() throws Exception {");
        methodOrigins.add(0);
        for (int i = 0; i < body.size(); i++) {
          methods.add("    " + body.get(i));
          methodOrigins.add(bodyOrigins.get(i));
        }
        methods.add("  }");
        methodOrigins.add(0);
      }
    }
    for (String i : imports) {
      lines.add(i);
      origins.add(0);
    }
    lines.add("final class " + className + " {");
    origins.add(0);
    lines.addAll(methods);
    origins.addAll(methodOrigins);
    lines.add("}");
    origins.add(0);
    lines.addAll(types);
    origins.addAll(typeOrigins);
    return new Source(lines, origins, methodBlocks);
  }

  /** A block declares a type when its first code line does, after any modifiers and annotations. */
  private static boolean declaresType(List<String> body) {
    for (String line : body) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("//") || s.startsWith("/*") || s.startsWith("*") || s.startsWith("@")) {
        continue;
      }
      return s.matches("((public|final|abstract|sealed|static) )*(class|record|interface|enum) .*");
    }
    return false;
  }

  /** {@return the compiler errors of each generated file that has some, each naming its markdown line} */
  private static Map<Path, String> compile(List<Unit> units, Path classesDir) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "the tests need a JDK, not a JRE");
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<Path, String> errors = new HashMap<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d", classesDir.toString(),
          "-proc:none", "-Xlint:none", "-encoding", "UTF-8");
      List<Path> paths = units.stream().map(Unit::javaFile).toList();
      javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(paths)).call();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.ERROR || d.getSource() == null) {
          continue;
        }
        Path generated = Path.of(d.getSource().toUri());
        for (Unit unit : units) {
          if (unit.javaFile().equals(generated)) {
            int line = (int) d.getLineNumber();
            List<Integer> origins = unit.source().origins();
            int origin = line >= 1 && line <= origins.size() ? origins.get(line - 1) : 0;
            errors.merge(generated, "  " + unit.file() + ":" + (origin == 0 ? "?" : origin) + ": "
                + d.getMessage(Locale.ROOT) + "\n", String::concat);
          }
        }
      }
    }
    return errors;
  }

  private static void run(Unit unit, Path classesDir) throws Exception {
    Path file = unit.file();
    Source source = unit.source();
    PrintStream originalOut = System.out;
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classesDir.toUri().toURL()},
        DocSnippetsTest.class.getClassLoader())) {
      loader.setDefaultAssertionStatus(true);
      Class<?> snippets = loader.loadClass(unit.className());
      System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
      for (int b : source.methodBlocks()) {
        Method method = snippets.getDeclaredMethod("block" + b);
        method.setAccessible(true);
        try {
          method.invoke(null);
        } catch (InvocationTargetException e) {
          throw new AssertionError("the Java block of " + file + " at line " + firstLine(source, b) + " threw "
              + e.getCause() + "\nits output:\n" + output.toString(StandardCharsets.UTF_8), e.getCause());
        }
      }
    } finally {
      System.setOut(originalOut);
    }
  }

  /** {@return the markdown line where block b starts, found through the generated method's first line} */
  private static int firstLine(Source source, int b) {
    int header = source.lines().indexOf("  static void block" + b + "() throws Exception {");
    return header + 1 < source.origins().size() ? source.origins().get(header + 1) : 0;
  }

  @Test
  void extractsBlocksAndTheirLines() {
    List<Block> blocks = javaBlocks(List.of("text", "```java", "int a = 1;", "```", "```sh", "ls", "```",
        "```java", "record R(int x) {}", "```"));
    assertEquals(List.of(new Block(3, List.of("int a = 1;")), new Block(9, List.of("record R(int x) {}"))), blocks);
    assertTrue(declaresType(List.of("// a comment", "public final class Square {")));
    assertTrue(!declaresType(List.of("Tape tape = new Tape();")));
  }
}
