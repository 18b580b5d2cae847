package dev.logitscope.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Text carried inside a picture file (an evaluation's provenance): PNG {@code iTXt} chunks (UTF-8,
 * keyword → text, as {@code exiftool} and Pillow's {@code Image.text} read them) and an SVG
 * {@code <metadata>} element. The same text gives the same bytes.
 */
final class PlotMetadata {

    private PlotMetadata() {}

    /** Writes {@code image} as a PNG with one iTXt chunk per entry. */
    static void writePng(BufferedImage image, Path file, Map<String, String> text) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("no PNG writer available");
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
            IIOMetadataNode itxt = new IIOMetadataNode("iTXt");
            for (Map.Entry<String, String> e : text.entrySet()) {
                IIOMetadataNode entry = new IIOMetadataNode("iTXtEntry");
                entry.setAttribute("keyword", e.getKey());
                entry.setAttribute("compressionFlag", "FALSE");
                entry.setAttribute("compressionMethod", "0");
                entry.setAttribute("languageTag", "");
                entry.setAttribute("translatedKeyword", "");
                entry.setAttribute("text", e.getValue());
                itxt.appendChild(entry);
            }
            IIOMetadataNode root = new IIOMetadataNode(IIOMetadataFormatNames.PNG);
            root.appendChild(itxt);
            try {
                metadata.mergeTree(IIOMetadataFormatNames.PNG, root);
            } catch (IIOInvalidTreeException e) {
                throw new IOException("cannot add text to the PNG: " + e.getMessage(), e);
            }
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
    }

    /** The SVG with a {@code <metadata>} element (one child per entry) right after its opening tag. */
    static String withSvgMetadata(String svg, Map<String, String> text) {
        if (text.isEmpty()) {
            return svg;
        }
        int open = svg.indexOf("<svg");
        int end = open < 0 ? -1 : svg.indexOf('>', open);
        if (end < 0) {
            return svg;
        }
        StringBuilder m = new StringBuilder("<metadata>");
        for (Map.Entry<String, String> e : text.entrySet()) {
            m.append("<logitscope:entry xmlns:logitscope=\"https://logitscope.dev/ns\" key=\"").append(escape(e.getKey()))
                    .append("\">").append(escape(e.getValue())).append("</logitscope:entry>");
        }
        m.append("</metadata>");
        return svg.substring(0, end + 1) + m + svg.substring(end + 1);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** The native PNG metadata format's name. */
    private static final class IIOMetadataFormatNames {
        static final String PNG = "javax_imageio_png_1.0";
    }
}
