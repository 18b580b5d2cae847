package dev.logitscope.analysis;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.model.ModelException;
import dev.logitscope.prompt.BuiltPrompt;
import dev.logitscope.tokenize.Token;
import java.util.List;

/**
 * The token × layer grid of an analysed review, one definition for the app's grid tab and
 * {@code inspect --plot grid}: the lens at the chosen positions (block outputs, the analysis's
 * tracked labels, top-k tokens). The demonstrations before the query come from the KV cache, so a
 * query-only grid costs little more than the heatmap.
 */
public final class TokenGridReport {
    private TokenGridReport() {}

    public static LensReport read(LensEngine engine, PromptAnalysis analysis, GridPositions which, int topK)
            throws ModelException {
        BuiltPrompt prompt = analysis.prompt();
        List<Token> tokens = engine.tokenize(prompt.text());
        int[] ids = tokens.stream().mapToInt(Token::id).toArray();
        List<TrackedWord> tracked = analysis.lens().tracked();
        int[] trackedIds = tracked.stream().mapToInt(TrackedWord::firstTokenId).toArray();
        int from = which.firstPosition(prompt, tokens);
        var lens = analysis.request().lens(); // the grid is read through the analysis's own lens
        List<LayerReading> layers = engine.run(ids, LensRequest.window(trackedIds, topK, from, ids.length).withLens(lens));
        return new LensReport(engine.info(), prompt.text(), tokens, tracked, layers, engine.lensName(lens));
    }
}
