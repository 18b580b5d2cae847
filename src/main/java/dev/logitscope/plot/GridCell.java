package dev.logitscope.plot;

/**
 * A cell of the token × layer grid.
 *
 * @param row      data row (0 = embed)
 * @param column   data column (index into {@link TokenGridData#columns()})
 * @param position the prompt position of that column
 */
public record GridCell(int row, int column, int position) {}
