package dev.logitscope.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class PlotExportTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @TempDir
    Path dir;

    private final LabelHeatmap heatmap = new LabelHeatmap(PlotFixtures.overthinking(12), PlotTheme.light());

    @Test
    void pngHasTheSignatureAndThePreferredSizeTimesTheScale() throws IOException {
        Dimension size = heatmap.preferredSize();
        for (double scale : new double[] {1, 2}) {
            Path file = dir.resolve("heatmap-" + (int) scale + ".png");
            PlotExport.png(heatmap, file, scale);
            byte[] bytes = Files.readAllBytes(file);
            assertThat(java.util.Arrays.copyOf(bytes, 8)).isEqualTo(PNG_SIGNATURE);
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image.getWidth()).isEqualTo((int) Math.round(size.width * scale));
            assertThat(image.getHeight()).isEqualTo((int) Math.round(size.height * scale));
        }
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void svgParsesAsXmlWithTheLayerLabelsAsText() throws Exception {
        Path file = dir.resolve("heatmap.svg");
        PlotExport.svg(heatmap, file);
        Document doc = parse(file);
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        List<String> texts = texts(doc);
        assertThat(texts).contains("embed", "1", "12", "predicted", "P(positive)");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void svgOfEveryRendererParsesEvenWithMarkupCharactersInTokens() throws Exception {
        TokenGridData grid = TokenGridData.fromReport(PlotFixtures.report(3, 4), TokenGridData.Mode.PROBABILITY);
        List<PlotRenderer> renderers = List.of(new TokenGrid(grid, PlotTheme.dark()),
                new TrajectoryChart(TrajectoryData.fromReport(PlotFixtures.report(3, 1), true), PlotTheme.light()),
                ChartsTest.accuracy(3), ChartsTest.scaling());
        for (int i = 0; i < renderers.size(); i++) {
            Path file = dir.resolve("plot" + i + ".svg");
            PlotExport.svg(renderers.get(i), file);
            assertThat(parse(file).getDocumentElement().getLocalName()).isEqualTo("svg");
        }
        assertThat(texts(parse(dir.resolve("plot0.svg")))).contains("<&>");
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path file = dir.resolve("old.png");
        Files.writeString(file, "not a png");
        PlotExport.png(heatmap, file, 1);
        assertThat(ImageIO.read(file.toFile())).isNotNull();
    }

    @Test
    void aMissingFolderIsNamedInTheMessage() {
        Path file = dir.resolve("nowhere").resolve("plot.png");
        assertThatThrownBy(() -> PlotExport.png(heatmap, file, 1))
                .isInstanceOf(PlotExportException.class)
                .hasMessage("Cannot write " + file + ": the folder " + file.getParent() + " does not exist");
        assertThatThrownBy(() -> PlotExport.svg(heatmap, file)).isInstanceOf(PlotExportException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aReadOnlyFolderSaysChooseAnotherLocation() throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView("posix"));
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Assumptions.assumeFalse(Files.isWritable(locked), "running as root: permissions are not enforced");
            Path file = locked.resolve("plot.svg");
            assertThatThrownBy(() -> PlotExport.svg(heatmap, file))
                    .isInstanceOf(PlotExportException.class)
                    .hasMessage("Cannot write " + file + ": the folder " + locked
                            + " is not writable; choose another location");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void aFolderThatRefusesFilesSaysChooseAnotherLocationEvenForRoot() {
        Path proc = Path.of("/proc");
        Assumptions.assumeTrue(Files.isDirectory(proc.resolve("self")), "needs Linux /proc");
        Path file = proc.resolve("plot.png");
        assertThatThrownBy(() -> PlotExport.png(heatmap, file, 1))
                .isInstanceOf(PlotExportException.class)
                .hasMessage("Cannot write /proc/plot.png: the folder /proc is not writable; choose another location");
    }

    @Test
    void aFileInsteadOfAFolderAndAFolderInsteadOfAFileAreExplained() throws IOException {
        Path notFolder = Files.writeString(dir.resolve("file.txt"), "x");
        assertThatThrownBy(() -> PlotExport.png(heatmap, notFolder.resolve("plot.png"), 1))
                .hasMessage("Cannot write " + notFolder.resolve("plot.png") + ": " + notFolder + " is not a folder");
        Path folder = Files.createDirectory(dir.resolve("plot.png"));
        assertThatThrownBy(() -> PlotExport.png(heatmap, folder, 1)).hasMessageContaining("it is a folder");
    }

    @Test
    void aPictureTooLargeForAnImageIsRefusedWithAdvice() {
        TokenGridData wide = TokenGridData.fromReport(PlotFixtures.report(2, 1024), TokenGridData.Mode.PROBABILITY);
        TokenGrid grid = new TokenGrid(wide, PlotTheme.light());
        assertThatThrownBy(() -> PlotExport.png(grid, dir.resolve("wide.png"), 2))
                .isInstanceOf(PlotExportException.class).hasMessageContaining("export fewer columns");
        assertThat(leftovers()).isEmpty();
    }

    private List<Path> leftovers() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Document parse(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagNameNS("*", "text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }
}
