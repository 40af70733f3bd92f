package dev.berth.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of Go's text/tabwriter that runc's {@code list} (and urfave's help) rely on, with the
 * same results: text is split into cells at tabs and into lines at newlines; a column is a run of
 * consecutive lines that have a tab-terminated cell in it, and is as wide as its widest cell plus
 * the padding, but at least {@code minWidth}; cells are left-aligned and padded with spaces; the
 * last cell of a line (not tab-terminated) is written as it is, with no padding. Widths count code
 * points, as Go counts runes.
 */
final class TabWriter {
    private final int minWidth;
    private final int padding;
    private final StringBuilder text = new StringBuilder();

    /** runc list uses tabwriter.NewWriter(os.Stdout, 12, 1, 3, ' ', 0): minwidth 12, padding 3. */
    static TabWriter runcList() {
        return new TabWriter(12, 3);
    }

    TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    TabWriter write(String s) {
        text.append(s);
        return this;
    }

    /** Formats everything written so far. */
    String flush() {
        Formatter f = new Formatter(split(text));
        f.format(0, f.lines.size());
        return f.out.toString();
    }

    /** Lines of cells; a trailing unterminated empty line has no cells at all, as in Go. */
    private static List<List<String>> split(CharSequence s) {
        List<List<String>> lines = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n') {
                cells.add(s.subSequence(start, i).toString());
                start = i + 1;
                if (c == '\n') {
                    lines.add(cells);
                    cells = new ArrayList<>();
                }
            }
        }
        if (start < s.length()) cells.add(s.subSequence(start, s.length()).toString());
        lines.add(cells);
        return lines;
    }

    /** One formatting pass: the widths of the enclosing columns while a block is formatted. */
    private final class Formatter {
        final List<List<String>> lines;
        final List<Integer> widths = new ArrayList<>();
        final StringBuilder out = new StringBuilder();

        Formatter(List<List<String>> lines) {
            this.lines = lines;
        }

        /** Go's tabwriter format(): find the blocks of the next column, size them, recurse. */
        void format(int line0, int line1) {
            int column = widths.size();
            for (int at = line0; at < line1; at++) {
                if (column >= lines.get(at).size() - 1) continue;
                writeLines(line0, at);
                line0 = at;
                int width = minWidth;
                for (; at < line1; at++) {
                    List<String> line = lines.get(at);
                    if (column >= line.size() - 1) break;
                    width = Math.max(width, width(line.get(column)) + padding);
                }
                widths.add(width);
                format(line0, at);
                widths.remove(widths.size() - 1);
                line0 = at;
            }
            writeLines(line0, line1);
        }

        void writeLines(int line0, int line1) {
            for (int i = line0; i < line1; i++) {
                List<String> line = lines.get(i);
                for (int j = 0; j < line.size(); j++) {
                    String cell = line.get(j);
                    out.append(cell);
                    if (j < widths.size()) out.repeat(' ', Math.max(0, widths.get(j) - width(cell)));
                }
                if (i + 1 < lines.size()) out.append('\n');
            }
        }
    }

    private static int width(String cell) {
        return cell.codePointCount(0, cell.length());
    }
}
