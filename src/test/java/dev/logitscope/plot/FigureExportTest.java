package dev.logitscope.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Dimension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exported figures stand on their own: a title, a valid PDF beside PNG and SVG, legible at column width. */
class FigureExportTest {
    /** A one-column figure in a two-column paper: 3.5 in. */
    private static final double COLUMN_PT = 3.5 * 72;
    private static final double MIN_PT = 7;

    @TempDir
    Path dir;

    private final PlotTheme theme = PlotTheme.light();
    // parentheses unbalanced, a backslash and characters outside ASCII: the PDF must still parse
    private final FigureTitle title = new FigureTitle("gpt2-large · 4-shot, flipped demo labels · logit lens",
            FigureTitle.quoted("Review (gold: positive)", "A tender :) funny film \\ about grief — naïve, never"
                    + " once condescending; the cast is superb, the script sharp and the ending earned, truly."));

    private Figure heatmap(int layers) {
        return new Figure(title, new LabelHeatmap(PlotFixtures.overthinking(layers), theme), theme);
    }

    /** As the app and the CLI name the rows: "embed", "block 1", … (wider than the fixture's "1"). */
    private Figure heatmapWithBlockNames(int layers) {
        LabelHeatmapData d = PlotFixtures.overthinking(layers);
        List<LabelHeatmapData.Row> rows = d.rows().stream().map(r -> new LabelHeatmapData.Row(
                r.depth() == 0 ? "embed" : "block " + (int) r.depth(), r.depth(), r.probs(), r.normalizedPositive(),
                r.predicted(), r.verdict(), r.overthinkingRight(), r.reversal(), r.top())).toList();
        LabelHeatmapData named = new LabelHeatmapData("Calibrated: P(positive) over the two labels", d.labels(),
                d.positiveIndex(), rows, d.explanation());
        return new Figure(title, new LabelHeatmap(named, theme), theme);
    }

    @Test
    void pdfIsOnePageOfThePreferredSizeAndItsTextHoldsTheTitle() throws IOException {
        Figure figure = heatmap(12);
        Path file = dir.resolve("heatmap.pdf");
        PlotExport.pdf(figure, file);

        Pdfs.OnePage page = Pdfs.read(file);
        Dimension size = figure.preferredSize();
        assertThat(page.width()).isEqualTo(size.width);
        assertThat(page.height()).isEqualTo(size.height);
        String text = page.text().replaceAll("\\s+", " ");
        assertThat(text).contains("gpt2-large · 4-shot, flipped demo labels · logit lens")
                .contains("Review (gold: positive): “A tender :) funny film \\ about grief — naïve")
                .contains("P(positive)").contains("embed").contains("predicted");
        assertThat(page.title()).startsWith("gpt2-large - 4-shot, flipped demo labels - logit lens - Review (gold");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("heatmap.pdf"); // no temp file left
        }
    }

    @Test
    void pdfCarriesItsTextInTheInformationDictionaryAndXmpWithTheDrawingUnchanged() throws IOException {
        Figure figure = heatmap(12);
        // JSON as the provenance is: quotes, parentheses, a backslash, markup characters and text outside ASCII
        String provenance = "{\"template\":\"Review: (a) \\\\n <b> & naïve — 😀\",\"seed\":3}";
        Path plain = dir.resolve("plain.pdf");
        Path file = dir.resolve("with.pdf");
        PlotExport.pdf(figure, plain);
        PlotExport.pdf(figure, file, java.util.Map.of("logitscope:provenance", provenance));

        Pdfs.Metadata m = Pdfs.metadata(file);
        assertThat(m.info("logitscope:provenance")).isEqualTo(provenance);
        assertThat(m.xmp("provenance")).isEqualTo(provenance);
        assertThat(m.information().getTitle()).startsWith("gpt2-large - 4-shot");
        assertThat(m.information().getAuthor()).isEqualTo("Logitscope");
        assertThat(m.information().getCreationDate()).isNotNull();
        // the page is what it was: same size and text
        Pdfs.OnePage page = Pdfs.read(file);
        Pdfs.OnePage before = Pdfs.read(plain);
        assertThat(page).isEqualTo(before);
        // an incremental update: the file without metadata, then the update (dates aside, the same bytes first)
        byte[] with = withoutDates(Files.readAllBytes(file));
        byte[] without = withoutDates(Files.readAllBytes(plain));
        assertThat(java.util.Arrays.copyOf(with, without.length)).isEqualTo(without);
        // a picture without text is JFreePDF's file as it was: no metadata added
        assertThat(Pdfs.metadata(plain).xmpDocument()).isNull();
    }

    @Test
    void everyRendererWritesAParsablePdf() throws IOException {
        TokenGridData grid = TokenGridData.fromReport(PlotFixtures.report(3, 4), TokenGridData.Mode.PROBABILITY);
        List<PlotRenderer> renderers = List.of(new TokenGrid(grid, PlotTheme.dark()),
                new TrajectoryChart(TrajectoryData.fromReport(PlotFixtures.report(3, 1), true), theme),
                ChartsTest.accuracy(3), ChartsTest.scaling());
        for (int i = 0; i < renderers.size(); i++) {
            Path file = dir.resolve("plot" + i + ".pdf");
            PlotExport.pdf(new Figure(title, renderers.get(i), theme), file);
            assertThat(Pdfs.read(file).text()).as(file.toString()).contains("logit lens");
        }
        assertThat(Pdfs.read(dir.resolve("plot0.pdf")).text()).contains("<&>");
    }

    @Test
    void theTitleWrapsToTheFigureAndTheReviewIsShortenedNotTheGoldLabel() {
        Figure figure = heatmap(12);
        Figure.Lines lines = figure.lines(figure.preferredSize().width);
        assertThat(lines.headline()).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        assertThat(String.join(" ", lines.headline())).isEqualTo(title.headline());
        assertThat(lines.detail()).hasSizeBetween(1, 2);
        assertThat(lines.detail().get(0)).startsWith("Review (gold: positive): “A tender");
        assertThat(String.join(" ", lines.detail())).endsWith("…”"); // shortened, and the quote still closes
        for (String line : lines.detail()) {
            assertThat(Text.width(theme.font(), line)).isLessThanOrEqualTo(figure.preferredSize().width - 2 * 14);
        }
    }

    @Test
    void shortenedReviewsEndInAnEllipsisAtAWord() {
        String review = "word ".repeat(40).strip();
        String s = FigureTitle.shorten(review);
        assertThat(s).endsWith("word …");
        assertThat(s.length()).isLessThanOrEqualTo(FigureTitle.MAX_REVIEW_CHARS + 2);
        assertThat(FigureTitle.shorten("  short\n review ")).isEqualTo("short review");
        assertThat(FigureTitle.quoted("Review", " ")).isEmpty();
    }

    @Test
    void aLocalModelIsNamedByItsFolderAHubModelByItsId() {
        assertThat(FigureTitle.modelName("/home/me/models/my-gpt2/")).isEqualTo("my-gpt2");
        assertThat(FigureTitle.modelName("./runs/ft")).isEqualTo("ft");
        assertThat(FigureTitle.modelName("openai-community/gpt2-large")).isEqualTo("openai-community/gpt2-large");
        assertThat(FigureTitle.modelName("gpt2")).isEqualTo("gpt2");
    }

    /**
     * Printed 3.5 in wide, every text of the heatmap and trajectory figures is at least 7 pt: read
     * from the SVG (the layout as drawn, not pixels), font size × 252 pt ÷ picture width.
     */
    @Test
    void heatmapAndTrajectoryAreLegibleAtColumnWidth() throws IOException {
        List<PlotRenderer> figures = new ArrayList<>();
        for (int layers : new int[] {6, 12, 36, 48}) {
            figures.add(heatmap(layers));
            figures.add(heatmapWithBlockNames(layers));
        }
        figures.add(new Figure(title, new TrajectoryChart(TrajectoryData.fromReport(PlotFixtures.report(48, 1), false),
                theme), theme));
        for (PlotRenderer figure : figures) {
            String svg = PlotExport.svgElement(figure);
            double width = svgWidth(svg);
            assertThat(width).isEqualTo(figure.preferredSize().width);
            List<Double> sizes = fontSizes(svg);
            assertThat(sizes).isNotEmpty();
            // JFreeSVG writes font sizes rounded to whole pixels: take the worst case
            double smallest = sizes.stream().mapToDouble(Double::doubleValue).min().orElseThrow() - 0.5;
            assertThat(smallest * COLUMN_PT / width).as("smallest text at column width, pt").isGreaterThanOrEqualTo(MIN_PT);
        }
    }

    @Test
    void aWideLegendWrapsInsteadOfWideningTheTrajectory() {
        List<Series> many = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            many.add(Series.perLayer("a rather long condition name " + i, new double[] {0.1, 0.5, 0.9}, i,
                    Series.Dash.SOLID));
        }
        TrajectoryChart chart = new TrajectoryChart(TrajectoryData.overlay("", "positive", many, null), theme);
        assertThat((double) chart.preferredSize().width).isLessThanOrEqualTo(theme.smallSize() * COLUMN_PT / MIN_PT);
    }

    private static double svgWidth(String svg) {
        Matcher m = Pattern.compile("<svg[^>]*?\\swidth=['\"]([0-9.]+)").matcher(svg);
        assertThat(m.find()).as("svg width").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static List<Double> fontSizes(String svg) {
        List<Double> sizes = new ArrayList<>();
        Matcher m = Pattern.compile("font-size:\\s*([0-9.]+)px").matcher(svg);
        while (m.find()) {
            sizes.add(Double.parseDouble(m.group(1)));
        }
        return sizes;
    }

    private static byte[] withoutDates(byte[] pdf) {
        return new String(pdf, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replaceAll("/(CreationDate|ModDate) \\(D:\\d{14}[^)]*\\)", "/$1 (D:00000000000000+00'0')")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
