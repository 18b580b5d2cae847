package dev.logitscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.plot.Pdfs;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.NodeList;

/** {@code inspect}'s pictures carry the record its JSON prints: one provenance for one analysis. */
class InspectProvenanceTest {
    @TempDir
    Path dir;

    @Test
    void everyPictureCarriesTheProvenanceTheJsonRecords() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(512).seed(5)
                .write(dir.resolve("model"));
        CliRunner r = CliRunner.run("inspect", "-m", ckpt.folder().toString(), "--review", "A fine film.", "--shots", "2",
                "--demo-labels", "flipped", "--seed", "4", "--json", "--png", dir.resolve("h.png").toString(), "--svg",
                dir.resolve("h.svg").toString(), "--pdf", dir.resolve("h.pdf").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonObject provenance = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("provenance");
        JsonObject prompt = provenance.getAsJsonObject("prompt");
        assertThat(prompt.get("shots").getAsInt()).isEqualTo(2);
        assertThat(prompt.get("seed").getAsLong()).isEqualTo(4);
        assertThat(prompt.get("demo_labels").getAsString()).isEqualTo("flipped");
        assertThat(prompt.getAsJsonArray("demonstrations")).hasSize(2).allSatisfy(d ->
                assertThat(d.getAsJsonObject().get("pool_index").getAsInt()).isNotNegative());
        assertThat(provenance.get("precision").getAsString()).isEqualTo("float32");
        assertThat(provenance.getAsJsonObject("model").get("source").getAsString()).isEqualTo("folder");

        assertThat(JsonParser.parseString(Pdfs.metadata(dir.resolve("h.pdf")).info("logitscope:provenance")))
                .isEqualTo(provenance);
        assertThat(JsonParser.parseString(Pdfs.metadata(dir.resolve("h.pdf")).xmp("provenance"))).isEqualTo(provenance);
        assertThat(Files.readString(dir.resolve("h.svg"))).contains("key=\"logitscope:provenance\"");
        assertThat(JsonParser.parseString(pngText(dir.resolve("h.png")))).isEqualTo(provenance);
    }

    /** The iTXt entry as ImageIO's PNG reader gives it. */
    private static String pngText(Path png) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
        try (var in = ImageIO.createImageInputStream(png.toFile())) {
            reader.setInput(in);
            IIOMetadataNode root = (IIOMetadataNode) reader.getImageMetadata(0).getAsTree("javax_imageio_png_1.0");
            NodeList entries = root.getElementsByTagName("iTXtEntry");
            for (int i = 0; i < entries.getLength(); i++) {
                IIOMetadataNode e = (IIOMetadataNode) entries.item(i);
                if (e.getAttribute("keyword").equals("logitscope:provenance")) {
                    return e.getAttribute("text");
                }
            }
        } finally {
            reader.dispose();
        }
        throw new AssertionError("no logitscope:provenance iTXt in " + png);
    }
}
