package dev.logitscope.ui.export;

import dev.logitscope.ui.plot.Plot;
import dev.logitscope.ui.plot.PlotStyle;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.svg.SVGGraphics2D;

/** Writes a plot as PNG (scaled, for print) or SVG, with the same drawing code as the window. */
public final class PlotFiles {
    /** PNG exports are drawn at twice the on-screen size, for print. */
    public static final double PNG_SCALE = 2.0;

    private PlotFiles() {}

    public static void png(Plot plot, double width, double height, Path file) throws IOException {
        int w = (int) Math.ceil(width * PNG_SCALE);
        int h = (int) Math.ceil(height * PNG_SCALE);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.scale(PNG_SCALE, PNG_SCALE);
            plot.draw(g, width, height, PlotStyle.LIGHT);
        } finally {
            g.dispose();
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        }
    }

    public static void svg(Plot plot, double width, double height, Path file) throws IOException {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        plot.draw(g, width, height, PlotStyle.LIGHT);
        Files.writeString(file, g.getSVGDocument(), StandardCharsets.UTF_8);
    }
}
