package dev.logitscope.plot;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/** Draws renderers into images of a chosen size and reads pixels back. */
final class Images {
    private Images() {}

    static BufferedImage draw(PlotRenderer r, Rectangle2D area, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        r.draw(g, area);
        g.dispose();
        return image;
    }

    static BufferedImage draw(PlotRenderer r, int width, int height) {
        return draw(r, new Rectangle2D.Double(0, 0, width, height), width, height);
    }

    static Color at(BufferedImage image, double x, double y) {
        return new Color(image.getRGB((int) Math.floor(x), (int) Math.floor(y)));
    }

    static int distance(Color a, Color b) {
        return Math.abs(a.getRed() - b.getRed()) + Math.abs(a.getGreen() - b.getGreen())
                + Math.abs(a.getBlue() - b.getBlue());
    }

    /** Pixels within {@code tolerance} of {@code color}. */
    static int count(BufferedImage image, Color color, int tolerance) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (distance(new Color(image.getRGB(x, y)), color) <= tolerance) {
                    n++;
                }
            }
        }
        return n;
    }
}
