package dev.logitscope.plot;

import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import org.jfree.pdf.PDFGraphics2D;
import org.jfree.pdf.PDFHints;

/**
 * Text on a JFreePDF page. JFreePDF's own text uses the standard 14 PDF fonts (Helvetica, other
 * widths than the fonts we measure with), writes ASCII only and does not escape parentheses; so
 * each string is drawn twice: as glyph outlines of the font we measured (the same look as the PNG
 * and SVG, any script), and as invisible standard text on top, so the PDF can be searched and its
 * text extracted.
 */
final class PdfText {
    /** JFreePDF declares its fonts with /MacRomanEncoding. */
    private static final Charset MAC_ROMAN = Charset.forName("x-MacRoman");

    private PdfText() {}

    static void draw(PDFGraphics2D g, String s, float x, float y) {
        Font font = g.getFont();
        g.fill(new TextLayout(s, font, Text.FRC).getOutline(AffineTransform.getTranslateInstance(x, y)));
        Paint paint = g.getPaint();
        Color c = g.getColor();
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 0));
        g.setRenderingHint(PDFHints.KEY_DRAW_STRING_TYPE, PDFHints.VALUE_DRAW_STRING_TYPE_STANDARD);
        g.drawString(literal(s), x, y);
        g.setPaint(paint);
    }

    /**
     * The body of a PDF literal string: MacRoman bytes, with backslash and parentheses escaped and
     * every byte outside printable ASCII written as an octal escape; characters MacRoman lacks
     * become '?'.
     */
    static String literal(String s) {
        CharsetEncoder encoder = MAC_ROMAN.newEncoder();
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\\' || cp == '(' || cp == ')') {
                out.append('\\').append((char) cp);
            } else if (cp >= 0x20 && cp < 0x7F) {
                out.append((char) cp);
            } else {
                int b = encode(encoder, cp);
                out.append(b < 0 ? "?" : String.format("\\%03o", b));
            }
        }
        return out.toString();
    }

    /**
     * A string for the document's information dictionary (JFreePDF writes it as it is): the
     * typographic punctuation of our titles in ASCII, anything else outside ASCII as '?', escaped.
     */
    static String documentString(String s) {
        String ascii = s.replace("·", "-").replace("—", "-").replace("–", "-").replace("“", "\"")
                .replace("”", "\"").replace("‘", "'").replace("’", "'").replace("…", "...").replace("×", "x")
                .replaceAll("[^\\x20-\\x7E]", "?");
        return literal(ascii);
    }

    private static int encode(CharsetEncoder encoder, int cp) {
        if (Character.isSupplementaryCodePoint(cp) || !encoder.canEncode((char) cp) || Character.isISOControl(cp)) {
            return -1;
        }
        try {
            ByteBuffer b = encoder.encode(CharBuffer.wrap(new char[] {(char) cp}));
            return b.remaining() == 1 ? b.get() & 0xFF : -1;
        } catch (CharacterCodingException e) {
            return -1;
        }
    }
}
