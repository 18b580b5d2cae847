package dev.logitscope.ui.plot;

import dev.logitscope.plot.PlotRenderer;
import dev.logitscope.plot.PlotTheme;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;

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
                int w = g.getFontMetrics().stringWidth(hint);
                g.drawString(hint, (float) Math.max(8, area.getCenterX() - w / 2.0), (float) area.getCenterY());
            }
        };
    }
}
