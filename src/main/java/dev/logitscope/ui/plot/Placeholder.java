package dev.logitscope.ui.plot;

import dev.logitscope.plot.PlotRenderer;
import dev.logitscope.plot.PlotTheme;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;

/** A plot with nothing to show yet, with a hint in the middle; a type of its own so exports can refuse it. */
public record Placeholder(String hint) implements Plot {
    @Override
    public PlotRenderer renderer(PlotTheme theme) {
        return new PlotRenderer() {
            @Override
            public Dimension preferredSize() {
                return new Dimension(640, 400);
            }

            @Override
            public void draw(Graphics2D g, Rectangle2D area) {
                g.setColor(theme.background());
                g.fill(area);
                g.setColor(theme.mutedText());
                g.setFont(theme.font().deriveFont(Font.PLAIN, 14f));
                FontMetrics fm = g.getFontMetrics();
                // A long hint (an error saying what to do) wraps into centred lines instead of running off.
                List<String> lines = wrap(hint, fm, Math.max(80, area.getWidth() - 32));
                double lineH = fm.getHeight();
                double top = area.getCenterY() - lineH * lines.size() / 2.0 + fm.getAscent();
                for (int i = 0; i < lines.size(); i++) {
                    int w = fm.stringWidth(lines.get(i));
                    g.drawString(lines.get(i), (float) Math.max(area.getMinX() + 8, area.getCenterX() - w / 2.0),
                            (float) (top + i * lineH));
                }
            }
        };
    }

    /** Words into lines no wider than {@code width} (a single longer word gets a line of its own). */
    static List<String> wrap(String text, FontMetrics fm, double width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.strip().split("\\s+")) {
            String candidate = line.length() == 0 ? word : line + " " + word;
            if (line.length() > 0 && fm.stringWidth(candidate) > width) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            } else {
                line.setLength(0);
                line.append(candidate);
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
