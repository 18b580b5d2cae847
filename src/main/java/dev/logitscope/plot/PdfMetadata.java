package dev.logitscope.plot;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text carried inside a PDF (an evaluation's or an analysis's provenance), as the PNG iTXt chunks
 * and the SVG {@code <metadata>} carry it. JFreePDF cannot add entries to its document information
 * dictionary, so they are added by an incremental update (ISO 32000-1 §7.5.6) appended to its
 * bytes: the information dictionary again (JFreePDF's entries, dates included, plus one text string per
 * entry, as {@code pdfinfo -custom}, exiftool and PDFBox's {@code getCustomMetadataValue} read it),
 * an XMP metadata stream with the same entries, and the catalog pointing at it. The drawing's bytes
 * are untouched, and the same picture and text give the same bytes but for the dates.
 */
final class PdfMetadata {
    /** XMP namespace of the entries (the SVG metadata's, as a namespace URI ends). */
    static final String XMP_NAMESPACE = "https://logitscope.dev/ns/";
    private static final Pattern STARTXREF = Pattern.compile("startxref\\s+(\\d+)\\s+%%EOF\\s*$");
    private static final Pattern ROOT = Pattern.compile("/Root\\s+(\\d+)\\s+0\\s+R");
    private static final Pattern INFO = Pattern.compile("/Info\\s+(\\d+)\\s+0\\s+R");
    private static final Pattern SIZE = Pattern.compile("/Size\\s+(\\d+)");

    private PdfMetadata() {}

    /** {@code pdf} (a JFreePDF file: one classic xref table) with {@code text} added; unchanged when empty. */
    static byte[] with(byte[] pdf, Map<String, String> text) {
        if (text.isEmpty()) {
            return pdf;
        }
        String file = new String(pdf, StandardCharsets.ISO_8859_1);
        Matcher start = STARTXREF.matcher(file);
        if (!start.find()) {
            throw new IllegalStateException("not a complete PDF: no startxref at its end");
        }
        int trailerAt = file.lastIndexOf("trailer", start.start());
        if (trailerAt < 0) {
            throw new IllegalStateException("not a PDF with a classic trailer");
        }
        String trailer = file.substring(trailerAt, start.start());
        int root = number(ROOT, trailer);
        int size = number(SIZE, trailer);
        Matcher infoRef = INFO.matcher(trailer);
        boolean hasInfo = infoRef.find();
        // The information dictionary is updated in place (same object number: readers see one), the XMP is new.
        int info = hasInfo ? Integer.parseInt(infoRef.group(1)) : size;
        String infoEntries = hasInfo ? dictionaryBody(file, info) : "";
        int xmp = hasInfo ? size : size + 1;

        StringBuilder infoDict = new StringBuilder("<< ").append(infoEntries.strip()).append('\n');
        for (Map.Entry<String, String> e : text.entrySet()) {
            infoDict.append('/').append(name(e.getKey())).append(' ').append(textString(e.getValue())).append('\n');
        }
        infoDict.append(">>");
        String catalog = "<< " + dictionaryBody(file, root).strip() + "\n/Metadata " + xmp + " 0 R\n>>";
        byte[] packet = xmp(text).getBytes(StandardCharsets.UTF_8);

        ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + packet.length + 4096);
        out.writeBytes(pdf);
        ascii(out, "\n");
        long rootAt = out.size();
        ascii(out, root + " 0 obj\n" + catalog + "\nendobj\n");
        long infoAt = out.size();
        ascii(out, info + " 0 obj\n" + infoDict + "\nendobj\n");
        long xmpAt = out.size();
        ascii(out, xmp + " 0 obj\n<< /Type /Metadata\n/Subtype /XML\n/Length " + packet.length + "\n>>\nstream\n");
        out.writeBytes(packet);
        ascii(out, "\nendstream\nendobj\n");
        long xrefAt = out.size();
        // One subsection per changed object, in increasing order of object number.
        java.util.TreeMap<Integer, Long> changed = new java.util.TreeMap<>(Map.of(root, rootAt, info, infoAt, xmp, xmpAt));
        StringBuilder xref = new StringBuilder("xref\n");
        changed.forEach((n, at) -> xref.append(n).append(" 1\n").append(entry(at)));
        ascii(out, xref + "trailer\n<< /Size " + Math.max(size, xmp + 1) + "\n/Root " + root + " 0 R\n/Info " + info
                + " 0 R\n/Prev " + start.group(1) + "\n>>\nstartxref\n" + xrefAt + "\n%%EOF\n");
        return out.toByteArray();
    }

    private static int number(Pattern p, String trailer) {
        Matcher m = p.matcher(trailer);
        if (!m.find()) {
            throw new IllegalStateException("the PDF trailer has no " + p.pattern());
        }
        return Integer.parseInt(m.group(1));
    }

    /** The entries of object {@code n}'s dictionary, between its {@code <<} and {@code >>}. */
    private static String dictionaryBody(String file, int n) {
        Matcher obj = Pattern.compile("(?m)^" + n + " 0 obj\\s*<<").matcher(file);
        if (!obj.find()) {
            throw new IllegalStateException("the PDF has no object " + n);
        }
        int end = file.indexOf("endobj", obj.end());
        int close = end < 0 ? -1 : file.lastIndexOf(">>", end);
        if (close < obj.end()) {
            throw new IllegalStateException("object " + n + " of the PDF is not a dictionary");
        }
        return file.substring(obj.end(), close);
    }

    /** A PDF name: characters outside the regular printable ones written as {@code #xx} (§7.3.5). */
    static String name(String key) {
        StringBuilder s = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && "()<>[]{}/%#".indexOf(c) < 0) {
                s.append((char) c);
            } else {
                s.append('#').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return s.toString();
    }

    /**
     * A PDF text string (§7.9.2.2): printable ASCII as a literal string, anything else as UTF-16BE
     * with its byte order mark, in hex so no byte needs escaping.
     */
    static String textString(String value) {
        if (value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            return "(" + value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")";
        }
        StringBuilder hex = new StringBuilder("<FEFF");
        for (byte b : value.getBytes(StandardCharsets.UTF_16BE)) {
            hex.append(String.format(Locale.ROOT, "%02X", b & 0xff));
        }
        return hex.append('>').toString();
    }

    /** An XMP packet with one property per entry in the logitscope namespace. */
    static String xmp(Map<String, String> text) {
        StringBuilder s = new StringBuilder("<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
                .append("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n")
                .append("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n")
                .append("<rdf:Description rdf:about=\"\" xmlns:logitscope=\"").append(XMP_NAMESPACE).append("\">\n");
        for (Map.Entry<String, String> e : text.entrySet()) {
            String property = xmpName(e.getKey());
            s.append("<logitscope:").append(property).append('>').append(escape(e.getValue()))
                    .append("</logitscope:").append(property).append(">\n");
        }
        return s.append("</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>").toString();
    }

    /** {@code logitscope:provenance} → {@code provenance}: the key's local part, as an XML name. */
    static String xmpName(String key) {
        String local = key.startsWith("logitscope:") ? key.substring("logitscope:".length()) : key;
        String name = local.replaceAll("[^A-Za-z0-9_.-]", "_");
        return name.isEmpty() || !Character.isLetter(name.charAt(0)) && name.charAt(0) != '_' ? "_" + name : name;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String entry(long offset) {
        return String.format(Locale.ROOT, "%010d 00000 n \n", offset);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
