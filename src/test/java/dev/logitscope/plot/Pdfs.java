package dev.logitscope.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/** Reads an exported PDF back with an independent parser (Apache PDFBox). */
public final class Pdfs {
    /** What a one-page PDF holds: its page size in points and its text. */
    public record OnePage(float width, float height, String text, String title) {}

    private Pdfs() {}

    /** Checks the file's frame (header, end marker), parses it and returns its only page. */
    public static OnePage read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
        String tail = new String(bytes, Math.max(0, bytes.length - 32), Math.min(32, bytes.length),
                StandardCharsets.ISO_8859_1);
        assertThat(tail.strip()).endsWith("%%EOF");
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            var box = doc.getPage(0).getMediaBox();
            String text = new PDFTextStripper().getText(doc);
            return new OnePage(box.getWidth(), box.getHeight(), text, doc.getDocumentInformation().getTitle());
        }
    }

    /** A PDF's metadata as PDFBox reads it: the information dictionary and the XMP packet (parsed as XML). */
    public record Metadata(org.apache.pdfbox.pdmodel.PDDocumentInformation information, org.w3c.dom.Document xmpDocument) {
        /** A custom entry of the information dictionary. */
        public String info(String key) {
            return information.getCustomMetadataValue(key);
        }

        /** The text of the XMP property {@code name} in the logitscope namespace, or null. */
        public String xmp(String name) {
            if (xmpDocument == null) {
                return null;
            }
            var nodes = xmpDocument.getElementsByTagNameNS("https://logitscope.dev/ns/", name);
            return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
        }
    }

    public static Metadata metadata(Path file) throws IOException {
        try (PDDocument doc = Loader.loadPDF(Files.readAllBytes(file))) {
            var stream = doc.getDocumentCatalog().getMetadata();
            org.w3c.dom.Document xmp = null;
            if (stream != null) {
                var factory = javax.xml.parsers.DocumentBuilderFactory.newInstance();
                factory.setNamespaceAware(true);
                try (var in = stream.exportXMPMetadata()) {
                    xmp = factory.newDocumentBuilder().parse(in);
                } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
                    throw new IOException("the XMP packet is not XML: " + e.getMessage(), e);
                }
            }
            return new Metadata(doc.getDocumentInformation(), xmp);
        }
    }
}
