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
}
