package dev.logitscope.ui.plot;

import java.awt.Color;
import java.awt.Font;

/** Colours and fonts of the plots, matched to the window's theme (and to paper for exports). */
public record PlotStyle(Color background, Color foreground, Color muted, Color gridLine, Color highlight, Color good,
        Color bad, String fontFamily) {

    public static final PlotStyle LIGHT = new PlotStyle(new Color(0xffffff), new Color(0x1f2933), new Color(0x66737f),
            new Color(0xe1e5ea), new Color(0xe8590c), new Color(0x2b8a3e), new Color(0xc92a2a), Font.SANS_SERIF);
    public static final PlotStyle DARK = new PlotStyle(new Color(0x1e2227), new Color(0xe6e9ed), new Color(0x9aa5b1),
            new Color(0x323840), new Color(0xff922b), new Color(0x51cf66), new Color(0xff6b6b), Font.SANS_SERIF);

    public Font font(int style, float size) {
        return new Font(fontFamily, style, Math.round(size));
    }
}
