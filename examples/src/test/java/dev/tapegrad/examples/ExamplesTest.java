package dev.tapegrad.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** Each example learns what it claims to, with the settings its {@code main} uses. */
class ExamplesTest {

  @Test
  void xorPerceptronLearnsAllFourCases() {
    Xor.Result r = Xor.train(42, 300, null);
    assertEquals(List.of(0, 1, 1, 0), r.predictions());
    assertTrue(r.losses().get(r.losses().size() - 1) < 0.05, "final loss " + last(r.losses()));
  }

  @Test
  void parityClassifierReadsTheFinalHiddenState() {
    Parity.Result r = Parity.train(7, 120, null);
    assertEquals(1.0, r.accuracy(), "accuracy; losses " + r.losses());
    assertTrue(last(r.losses()) < 0.1, "final loss " + last(r.losses()));
  }

  @Test
  void generatorWritesEachWordFromItsStartToken() {
    StartTokenGenerator.Result r = StartTokenGenerator.train(3, 100, null);
    assertEquals(Map.of('0', "tape", '1', "tanh", '2', "gate", '3', "grad"), r.generated(), "losses " + r.losses());
    assertTrue(last(r.losses()) < 0.05, "final loss " + last(r.losses()));
  }

  @Test
  void twoMoonsClassifierLearnsTheMoonsAndDrawsItsBoundary() throws Exception {
    TwoMoons.Result r = TwoMoons.train(7, 300, null);
    assertTrue(r.trainAccuracy() >= 0.98, "training accuracy " + r.trainAccuracy());
    assertTrue(r.testAccuracy() >= 0.95, "held-out accuracy " + r.testAccuracy());
    assertTrue(last(r.losses()) < 0.1 * r.losses().get(0), "losses " + r.losses().get(0) + " → " + last(r.losses()));
    // the drawing is well-formed XML: a cell per grid square, a circle per training point, both moons' tints
    Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(r.svg().getBytes(StandardCharsets.UTF_8)));
    assertEquals("svg", svg.getDocumentElement().getTagName());
    assertEquals(TwoMoons.GRID * TwoMoons.GRID, svg.getElementsByTagName("rect").getLength());
    assertEquals(2 * TwoMoons.POINTS_PER_MOON, svg.getElementsByTagName("circle").getLength());
    assertTrue(r.svg().contains("#c6dbef") && r.svg().contains("#fdd0a2"), "both moons are predicted somewhere");
  }

  @Test
  void charTransformerLearnsTheSonnetAndWritesFromItsCharacters() {
    // 50 of main's 300 steps keep this test to a few seconds; the parity test checks the arithmetic
    CharTransformer.Result r = CharTransformer.train(CharTransformer.SONNET, 1337, 50, null);
    double first = r.losses().get(0);
    double lastFive = r.losses().subList(45, 50).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    assertTrue(first > 3.3 && first < 4.0, "the first loss is near ln(40 characters) = 3.7: " + first);
    assertTrue(lastFive < 0.8 * first, "losses " + first + " → " + lastFive);
    assertEquals(201, r.sample().length(), "the prompt and 200 characters");
    String vocab = CharTransformer.vocabulary(CharTransformer.SONNET);
    assertTrue(r.sample().chars().allMatch(c -> vocab.indexOf(c) >= 0), "only the sonnet's characters: " + r.sample());
  }

  private static double last(List<Double> values) {
    return values.get(values.size() - 1);
  }
}
