package dev.logitscope.plot;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import org.jfree.pdf.PDFGraphics2D;

/**
 * Measuring and placing text. Measurement uses one fixed antialiased, fractional-metrics context,
 * so layouts are identical on a canvas, in a PNG, an SVG and a PDF, and can be computed without a
 * Graphics (for {@code preferredSize}).
 */
final class Text {
    static final FontRenderContext FRC = new FontRenderContext(new AffineTransform(), true, true);
    private static final String ELLIPSIS = "…";

    enum Align { LEFT, CENTER, RIGHT }

    private Text() {}

    static double width(Font font, String s) {
        return s.isEmpty() ? 0 : font.getStringBounds(s, FRC).getWidth();
    }

    /** Line height: ascent + descent (no leading). */
    static double height(Font font) {
        LineMetrics m = font.getLineMetrics("Xg", FRC);
        return m.getAscent() + m.getDescent();
    }

    static double ascent(Font font) {
        return font.getLineMetrics("Xg", FRC).getAscent();
    }

    /** {@code s}, cut and ended with "…" so that it fits {@code maxWidth}; empty when not even "…" fits. */
    static String fit(Font font, String s, double maxWidth) {
        if (width(font, s) <= maxWidth) {
            return s;
        }
        if (width(font, ELLIPSIS) > maxWidth) {
            return "";
        }
        int lo = 0;
        int hi = s.length();
        while (lo < hi) { // longest prefix that fits with the ellipsis
            int mid = (lo + hi + 1) >>> 1;
            if (width(font, s.substring(0, mid) + ELLIPSIS) <= maxWidth) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (lo > 0 && Character.isHighSurrogate(s.charAt(lo - 1))) {
            lo--;
        }
        return s.substring(0, lo) + ELLIPSIS;
    }

    /**
     * {@code s} broken at spaces into lines no wider than {@code maxWidth}, at most {@code maxLines}
     * of them; a word wider than a line, and the last line when text is left over, end in "…".
     */
    static java.util.List<String> wrap(Font font, String s, double maxWidth, int maxLines) {
        java.util.List<String> lines = new java.util.ArrayList<>();
        String line = "";
        for (String word : s.strip().split("\\s+")) {
            String next = line.isEmpty() ? word : line + " " + word;
            if (line.isEmpty() || width(font, next) <= maxWidth) {
                line = next;
            } else {
                lines.add(line);
                line = word;
            }
        }
        if (!line.isEmpty()) {
            lines.add(line);
        }
        if (lines.size() > maxLines) { // text left over: the last line says so
            String last = lines.get(maxLines - 1) + " " + lines.get(maxLines);
            lines = new java.util.ArrayList<>(lines.subList(0, maxLines));
            lines.set(maxLines - 1, fit(font, last, maxWidth));
            if (!lines.get(maxLines - 1).endsWith("…")) {
                lines.set(maxLines - 1, fit(font, lines.get(maxLines - 1) + "…", maxWidth));
            }
        }
        lines.replaceAll(l -> fit(font, l, maxWidth)); // a single word wider than a line
        return lines;
    }

    /** Draws {@code s} with its line box vertically centred on {@code cy}. */
    static void draw(Graphics2D g, String s, double x, double cy, Align align) {
        if (s.isEmpty()) {
            return;
        }
        Font font = g.getFont();
        LineMetrics m = font.getLineMetrics(s, FRC);
        double w = width(font, s);
        double left = switch (align) {
            case LEFT -> x;
            case CENTER -> x - w / 2;
            case RIGHT -> x - w;
        };
        double baseline = cy + (m.getAscent() - m.getDescent()) / 2;
        if (g instanceof PDFGraphics2D pdf) {
            PdfText.draw(pdf, s, (float) left, (float) baseline);
        } else {
            g.drawString(s, (float) left, (float) baseline);
        }
    }

    /** Draws {@code s} rotated a quarter turn anticlockwise, centred on (cx, cy): a y-axis title. */
    static void drawVertical(Graphics2D g, String s, double cx, double cy) {
        AffineTransform saved = g.getTransform();
        g.translate(cx, cy);
        g.rotate(-Math.PI / 2);
        draw(g, s, 0, 0, Align.CENTER);
        g.setTransform(saved);
    }

    /** The hints every renderer draws with. */
    static void hints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    }

    /**
     * A copy of {@code g} ready to draw a picture into {@code area}: quality hints on, clipped to
     * the area, the background filled. The caller disposes it.
     */
    static Graphics2D begin(Graphics2D g, Rectangle2D area, java.awt.Color background) {
        Graphics2D copy = (Graphics2D) g.create();
        hints(copy);
        copy.clip(area);
        copy.setColor(background);
        copy.fill(area);
        return copy;
    }

    static Rectangle2D.Double rect(double x, double y, double w, double h) {
        return new Rectangle2D.Double(x, y, Math.max(0, w), Math.max(0, h));
    }
}
