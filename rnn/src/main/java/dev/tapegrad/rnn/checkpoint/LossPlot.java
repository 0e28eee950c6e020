package dev.tapegrad.rnn.checkpoint;

import java.util.List;
import java.util.Locale;

/**
 * Draws the loss curve as a self-contained SVG image, as the notebook plotted its cost: training
 * loss per step (thin line), per epoch (dots) and validation loss per epoch (orange), against the
 * step.
 */
public final class LossPlot {

  private static final int WIDTH = 720;
  private static final int HEIGHT = 400;
  private static final int MARGIN = 56;

  private LossPlot() {}

  /**
   * Returns the SVG document.
   *
   * @param steps (step, loss) points of the training loss, smoothed
   * @param epochTrain (step, loss) at each epoch's end
   * @param epochVal (step, validation loss) at each epoch's end
   * @return the SVG text
   */
  public static String svg(List<double[]> steps, List<double[]> epochTrain, List<double[]> epochVal) {
    double maxStep = 1;
    double minLoss = Double.POSITIVE_INFINITY;
    double maxLoss = Double.NEGATIVE_INFINITY;
    for (List<double[]> series : List.of(steps, epochTrain, epochVal)) {
      for (double[] p : series) {
        maxStep = Math.max(maxStep, p[0]);
        minLoss = Math.min(minLoss, p[1]);
        maxLoss = Math.max(maxLoss, p[1]);
      }
    }
    if (!(minLoss < maxLoss)) {
      minLoss = Double.isFinite(minLoss) ? minLoss - 0.5 : 0;
      maxLoss = minLoss + 1;
    }
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
        WIDTH, HEIGHT));
    sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\">Loss (nats per character)</text>%n",
        MARGIN));
    // axes and tick labels
    int plotW = WIDTH - 2 * MARGIN;
    int plotH = HEIGHT - 2 * MARGIN;
    sb.append(String.format(Locale.ROOT,
        "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", MARGIN, MARGIN, plotW,
        plotH));
    for (int i = 0; i <= 4; i++) {
      double loss = minLoss + (maxLoss - minLoss) * i / 4;
      double y = MARGIN + plotH - plotH * i / 4.0;
      sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>%n", MARGIN - 6,
          y + 4, loss));
      double step = maxStep * i / 4;
      double x = MARGIN + plotW * i / 4.0;
      sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>%n", x,
          HEIGHT - MARGIN + 18, step));
    }
    sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">step</text>%n",
        WIDTH / 2, HEIGHT - 12));
    polyline(sb, steps, maxStep, minLoss, maxLoss, "#4a7ebb");
    for (double[] p : epochTrain) {
      dot(sb, p, maxStep, minLoss, maxLoss, "#1f3f7f");
    }
    polyline(sb, epochVal, maxStep, minLoss, maxLoss, "#e07b00");
    for (double[] p : epochVal) {
      dot(sb, p, maxStep, minLoss, maxLoss, "#e07b00");
    }
    sb.append(String.format(Locale.ROOT,
        "<text x=\"%d\" y=\"%d\" fill=\"#1f3f7f\">train</text><text x=\"%d\" y=\"%d\" fill=\"#e07b00\">validation</text>%n",
        WIDTH - MARGIN - 110, MARGIN - 8, WIDTH - MARGIN - 65, MARGIN - 8));
    sb.append("</svg>\n");
    return sb.toString();
  }

  private static void polyline(StringBuilder sb, List<double[]> points, double maxStep, double minLoss,
      double maxLoss, String color) {
    if (points.size() < 2) {
      return;
    }
    sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"");
    for (double[] p : points) {
      sb.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p[0], maxStep), y(p[1], minLoss, maxLoss)));
    }
    sb.append("\"/>\n");
  }

  private static void dot(StringBuilder sb, double[] p, double maxStep, double minLoss, double maxLoss,
      String color) {
    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x(p[0], maxStep),
        y(p[1], minLoss, maxLoss), color));
  }

  private static double x(double step, double maxStep) {
    return MARGIN + (WIDTH - 2 * MARGIN) * step / maxStep;
  }

  private static double y(double loss, double minLoss, double maxLoss) {
    return MARGIN + (HEIGHT - 2 * MARGIN) * (1 - (loss - minLoss) / (maxLoss - minLoss));
  }
}
