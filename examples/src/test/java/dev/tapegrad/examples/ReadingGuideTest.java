package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/READING.md stays true: it links every class of core and rnn, and every code link, such as
 * {@code [Tape.java: output](../core/.../Tape.java "public Variable output(String op")}, carries as
 * its title a quote of code that occurs exactly once in the linked file. Quotes, unlike line numbers,
 * survive edits elsewhere in the file, so links to lines ({@code #L10-L20}) are refused.
 */
class ReadingGuideTest {

  private static final Path REPOSITORY = DocSnippetsTest.REPOSITORY;
  private static final Path GUIDE = REPOSITORY.resolve("docs/READING.md");

  /** The fewest code links the guide may have: it points at the code of each idea. */
  private static final int MINIMUM_CODE_LINKS = 20;

  /**
   * A link to a parent-relative path, with its text when that has no brackets, an optional
   * {@code #fragment} and an optional title.
   */
  private static final Pattern LINK = Pattern.compile(
      "(?:\\[([^\\[\\]]*))?\\]\\((\\.\\./[^\\s)#]+)(#[^\\s)]*)?(?: \"([^\"]*)\")?\\)");

  /** A relative link (no scheme) whose fragment is a line anchor such as {@code #L85} or {@code #L85-L87}. */
  private static final Pattern LINE_ANCHOR = Pattern.compile(
      "(?:\\[([^\\[\\]]*))?\\]\\((?![a-zA-Z][a-zA-Z0-9+.-]*:)([^\\s)#]*)(#L\\d+(?:-L\\d+)?)[^\\s)]*"
          + "(?: \"[^\"]*\")?\\)");

  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  /** One link of a markdown file: where it is, its text (may be null), target, fragment and title. */
  private record Link(Path doc, int line, String text, String target, String fragment, String title) {

    /** {@return the link as a reader finds it: file, line and markdown} */
    String where() {
      return doc + ":" + line + ": [" + (text == null ? "…" : text.replaceAll("\\s+", " ")) + "](" + target
          + (fragment == null ? "" : fragment) + (title == null ? "" : " \"" + title + "\"") + ")";
    }
  }

  @Test
  void linksEveryClassOfCoreAndRnn() throws IOException {
    String guide = Files.readString(GUIDE);
    List<String> missing = new ArrayList<>();
    for (String module : List.of("core", "rnn")) {
      Path sources = REPOSITORY.resolve(module).resolve("src/main/java");
      try (Stream<Path> files = Files.walk(sources)) {
        files.filter(p -> p.toString().endsWith(".java"))
            .filter(p -> !p.getFileName().toString().equals("package-info.java"))
            .map(p -> "](../" + REPOSITORY.relativize(p).toString().replace('\\', '/'))
            .filter(link -> !guide.contains(link))
            .forEach(missing::add);
      }
    }
    assertEquals(List.of(), missing, "classes the reading guide does not link");
  }

  @Test
  void everyCodeLinkQuotesCodeThatOccursOnceInItsFile() throws IOException {
    List<String> problems = new ArrayList<>();
    int guideCodeLinks = 0;
    for (Path doc : DocSnippetsTest.markdownFiles()) {
      for (Link link : links(doc)) {
        if (link.title() == null) {
          continue;
        }
        if (doc.equals(REPOSITORY.relativize(GUIDE))) {
          guideCodeLinks++;
        }
        Path target = REPOSITORY.resolve(doc).getParent().resolve(link.target()).normalize();
        if (!Files.isRegularFile(target)) {
          problems.add(link.where() + "\n  links to a missing file " + REPOSITORY.relativize(target)
              + "; fix the path (relative to " + doc + ").");
          continue;
        }
        String problem = quoteProblem(link, REPOSITORY.relativize(target), Files.readString(target));
        if (problem != null) {
          problems.add(link.where() + "\n  " + problem);
        }
      }
    }
    assertTrue(problems.isEmpty(), "code links whose quote (the link's title) does not name one place in its "
        + "file:\n" + String.join("\n", problems));
    assertTrue(guideCodeLinks >= MINIMUM_CODE_LINKS, "the guide points at the code of each idea with a quoting "
        + "link; found " + guideCodeLinks + ", expected at least " + MINIMUM_CODE_LINKS);
  }

  @Test
  void noLinkPointsAtLineNumbers() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path doc : DocSnippetsTest.markdownFiles()) {
      String markdown = Files.readString(REPOSITORY.resolve(doc));
      Matcher m = LINE_ANCHOR.matcher(markdown);
      while (m.find()) {
        problems.add(doc + ":" + lineOf(markdown, m.start()) + ": " + m.group().replaceAll("\\s+", " "));
      }
    }
    assertTrue(problems.isEmpty(), "links to line numbers, which go stale with any edit above them; drop the "
        + "#L anchor and quote the code instead, as in [Tape.java: output](../core/src/main/java/dev/tapegrad/"
        + "autograd/Tape.java \"public Variable output(String op\"):\n" + String.join("\n", problems));
  }

  @Test
  void otherDocsLinkOnlyToFilesThatExist() throws IOException {
    for (Path doc : DocSnippetsTest.markdownFiles()) {
      Path file = REPOSITORY.resolve(doc);
      for (Link link : links(doc)) {
        Path target = file.getParent().resolve(link.target()).normalize();
        assertTrue(Files.exists(target), doc + " links to a missing file: " + link.target());
      }
    }
  }

  /**
   * {@return what is wrong with a link's quote, or null when it occurs exactly once in the file}
   * A run of whitespace in the quote matches any run of whitespace in the file, so a quote may
   * continue onto the next line.
   */
  private static String quoteProblem(Link link, Path file, String source) {
    String quote = WHITESPACE.matcher(link.title()).replaceAll(" ").strip();
    if (quote.isEmpty()) {
      return "has an empty title; quote a piece of the code it is about.";
    }
    // The source with each whitespace run as one space, and the source line of each of its characters.
    StringBuilder flat = new StringBuilder(source.length());
    List<Integer> lines = new ArrayList<>(source.length());
    int line = 1;
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (Character.isWhitespace(c)) {
        if (flat.length() > 0 && flat.charAt(flat.length() - 1) != ' ') {
          flat.append(' ');
          lines.add(line);
        }
      } else {
        flat.append(c);
        lines.add(line);
      }
      if (c == '\n') {
        line++;
      }
    }
    List<Integer> found = new ArrayList<>();
    for (int at = flat.indexOf(quote); at >= 0; at = flat.indexOf(quote, at + 1)) {
      found.add(lines.get(at));
    }
    if (found.isEmpty()) {
      return file + " no longer contains the quote; find the code the link is about and quote it again "
          + "in the title (and check the link text still names it).";
    }
    if (found.size() > 1) {
      return "the quote occurs " + found.size() + " times in " + file + " (lines "
          + found.stream().map(String::valueOf).collect(Collectors.joining(", "))
          + "); lengthen it until it occurs once (it may run on into the next line).";
    }
    return null;
  }

  private static List<Link> links(Path doc) throws IOException {
    String markdown = Files.readString(REPOSITORY.resolve(doc));
    List<Link> links = new ArrayList<>();
    Matcher m = LINK.matcher(markdown);
    while (m.find()) {
      links.add(new Link(doc, lineOf(markdown, m.start()), m.group(1), m.group(2), m.group(3), m.group(4)));
    }
    return links;
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
