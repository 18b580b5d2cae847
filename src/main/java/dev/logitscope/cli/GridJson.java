package dev.logitscope.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.logitscope.analysis.GridPositions;
import dev.logitscope.plot.TokenGridData;
import java.util.Locale;

/** The token × layer grid as {@code inspect --plot grid --json} prints it: the numbers the picture draws. */
final class GridJson {
    private GridJson() {}

    static JsonObject of(TokenGridData grid, GridPositions positions) {
        JsonObject out = new JsonObject();
        out.addProperty("positions", positions.key());
        out.addProperty("mode", grid.mode().name().toLowerCase(Locale.ROOT));
        JsonArray rows = new JsonArray();
        grid.rowNames().forEach(rows::add);
        out.add("rows", rows);
        JsonArray columns = new JsonArray();
        for (TokenGridData.Column c : grid.columns()) {
            JsonObject column = new JsonObject();
            column.addProperty("position", c.position());
            column.addProperty("token", c.token());
            if (c.special()) {
                column.addProperty("special", true); // a token the tokenizer added (OPT's BOS), not prompt text
            }
            columns.add(column);
        }
        out.add("columns", columns);
        JsonArray top1 = new JsonArray();
        JsonArray values = new JsonArray();
        for (int r = 0; r < grid.rows(); r++) {
            JsonArray names = new JsonArray();
            JsonArray cells = new JsonArray();
            for (int c = 0; c < grid.columns().size(); c++) {
                names.add(grid.top1(r, c));
                cells.add(grid.value(r, c)); // not finite (unknown) → null
            }
            top1.add(names);
            values.add(cells);
        }
        out.add("top1", top1);
        out.add("values", values);
        return out;
    }
}
