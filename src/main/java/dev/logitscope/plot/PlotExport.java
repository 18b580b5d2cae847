package dev.logitscope.plot;

import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;
import org.jfree.pdf.PDFDocument;
import org.jfree.pdf.PDFGraphics2D;
import org.jfree.pdf.Page;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUtils;

/**
 * Writes a renderer at its preferred size as PNG (ImageIO), SVG (JFreeSVG) or PDF (JFreePDF). Files are written to
 * a temporary file in the target folder and moved into place, so a failed export never leaves a
 * half-written picture under the user's name.
 */
public final class PlotExport {
    /** Beyond this many pixels an image would take gigabytes of memory. */
    private static final long MAX_PIXELS = 1L << 28;
    private static final int MAX_SIDE = 32_767;

    private PlotExport() {}

    /** Writes a PNG; {@code scale} 2 gives a print-quality image of twice the preferred size. */
    public static void png(PlotRenderer renderer, Path file, double scale) throws IOException {
        Path target = checkTarget(file);
        BufferedImage image = image(renderer, scale, file);
        writeAtomically(target, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** As {@link #png(PlotRenderer, Path, double)}, carrying {@code text} in iTXt chunks (keyword → text). */
    public static void png(PlotRenderer renderer, Path file, double scale, java.util.Map<String, String> text)
            throws IOException {
        Path target = checkTarget(file);
        BufferedImage image = image(renderer, scale, file);
        writeAtomically(target, tmp -> PlotMetadata.writePng(image, tmp, text));
    }

    /** Writes an SVG with text kept as text (searchable, editable). */
    public static void svg(PlotRenderer renderer, Path file) throws IOException {
        svg(renderer, file, java.util.Map.of());
    }

    /** As {@link #svg(PlotRenderer, Path)}, carrying {@code text} in a {@code <metadata>} element. */
    public static void svg(PlotRenderer renderer, Path file, java.util.Map<String, String> text) throws IOException {
        Path target = checkTarget(file);
        String svg = PlotMetadata.withSvgMetadata(svgElement(renderer), text);
        writeAtomically(target, tmp -> SVGUtils.writeToSVG(tmp.toFile(), svg));
    }

    /**
     * Writes a one-page PDF (JFreePDF) whose page is the preferred size in points, so a picture
     * laid out for a column stays that size in print. Shapes are vectors; text is drawn as outlines
     * of the same fonts as the PNG and SVG, with an invisible text layer for search (see {@link PdfText}).
     */
    public static void pdf(PlotRenderer renderer, Path file) throws IOException {
        pdf(renderer, file, java.util.Map.of());
    }

    /**
     * As {@link #pdf(PlotRenderer, Path)}, carrying {@code text} in the document information
     * dictionary and XMP metadata (see {@link PdfMetadata}).
     */
    public static void pdf(PlotRenderer renderer, Path file, java.util.Map<String, String> text) throws IOException {
        Path target = checkTarget(file);
        byte[] bytes = pdfBytes(renderer, text);
        writeAtomically(target, tmp -> Files.write(tmp, bytes));
    }

    /** The picture as the bytes of a one-page PDF. */
    public static byte[] pdfBytes(PlotRenderer renderer) {
        return pdfBytes(renderer, java.util.Map.of());
    }

    /** The picture as the bytes of a one-page PDF carrying {@code text} (keyword → text). */
    public static byte[] pdfBytes(PlotRenderer renderer, java.util.Map<String, String> text) {
        Dimension size = renderer.preferredSize();
        PDFDocument document = new PDFDocument();
        if (renderer instanceof Figure figure) {
            document.setTitle(PdfText.documentString(figure.title().text()));
        }
        document.setAuthor("Logitscope");
        Page page = document.createPage(new Rectangle(size.width, size.height));
        PDFGraphics2D g = page.getGraphics2D();
        renderer.draw(g, new Rectangle2D.Double(0, 0, size.width, size.height));
        return PdfMetadata.with(document.getPDFBytes(), text);
    }

    /** The picture as an image, {@code scale} pixels per unit; for the clipboard, tests and PNG. */
    public static BufferedImage image(PlotRenderer renderer, double scale) {
        try {
            return image(renderer, scale, null);
        } catch (PlotExportException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static final String DEFS_PLACEHOLDER = "_logitscopeDefs";

    /** The picture as one {@code <svg>} element. */
    public static String svgElement(PlotRenderer renderer) {
        Dimension size = renderer.preferredSize();
        SVGGraphics2D g = new SVGGraphics2D(size.width, size.height);
        // JFreeSVG names clip paths with a time-based prefix (unique when several SVGs share a page);
        // a hash of the drawing keeps them unique and makes the same figure the same bytes every time.
        g.setDefsKeyPrefix(DEFS_PLACEHOLDER);
        renderer.draw(g, new Rectangle2D.Double(0, 0, size.width, size.height));
        String svg = g.getSVGElement();
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return svg.replace(DEFS_PLACEHOLDER, "_" + java.util.HexFormat.of().formatHex(digest, 0, 6));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static BufferedImage image(PlotRenderer renderer, double scale, Path file) throws PlotExportException {
        if (!(scale > 0) || scale > 16) {
            throw new IllegalArgumentException("scale must be in (0, 16], got " + scale);
        }
        Dimension size = renderer.preferredSize();
        long w = Math.max(1, Math.round(size.width * scale));
        long h = Math.max(1, Math.round(size.height * scale));
        if (w > MAX_SIDE || h > MAX_SIDE || w * h > MAX_PIXELS) {
            throw new PlotExportException((file == null ? "Cannot draw the picture" : "Cannot write " + file)
                    + ": it would be " + w + " × " + h + " pixels, too large for an image;"
                    + " export fewer columns, a smaller scale, or SVG");
        }
        BufferedImage image = new BufferedImage((int) w, (int) h, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        try {
            g.scale(w / (double) size.width, h / (double) size.height);
            renderer.draw(g, new Rectangle2D.Double(0, 0, size.width, size.height));
        } finally {
            g.dispose();
        }
        return image;
    }

    // ---- files

    private interface Writer {
        void write(Path tmp) throws IOException;
    }

    /** The absolute target, after checking its folder, with messages a user can act on. */
    private static Path checkTarget(Path file) throws PlotExportException {
        Path target = file.toAbsolutePath().normalize();
        Path folder = target.getParent();
        if (folder == null) {
            throw new PlotExportException("Cannot write " + file + ": it is not a file name");
        }
        if (!Files.exists(folder)) {
            throw new PlotExportException("Cannot write " + target + ": the folder " + folder + " does not exist");
        }
        if (!Files.isDirectory(folder)) {
            throw new PlotExportException("Cannot write " + target + ": " + folder + " is not a folder");
        }
        if (Files.isDirectory(target)) {
            throw new PlotExportException("Cannot write " + target + ": it is a folder; choose a file name");
        }
        if (!Files.isWritable(folder) || (Files.exists(target) && !Files.isWritable(target))) {
            throw notWritable(target, folder, null);
        }
        return target;
    }

    private static void writeAtomically(Path target, Writer writer) throws IOException {
        Path folder = target.getParent();
        Path tmp;
        try {
            // not createTempFile: its owner-only permissions would survive the move
            tmp = Files.createFile(folder.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid()
                    + "-" + Long.toHexString(System.nanoTime()) + ".tmp"));
        } catch (IOException | SecurityException e) {
            throw notWritable(target, folder, e);
        }
        try {
            writer.write(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new PlotExportException("Cannot write " + target + ": " + reason(e) + "; choose another location", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static PlotExportException notWritable(Path target, Path folder, Exception cause) {
        return new PlotExportException("Cannot write " + target + ": the folder " + folder
                + " is not writable; choose another location", cause);
    }

    private static String reason(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
