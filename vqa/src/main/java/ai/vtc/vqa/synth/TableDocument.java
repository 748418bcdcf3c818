package ai.vtc.vqa.synth;

import ai.vtc.vqa.internal.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A table from a report: a numbered caption, a header row of consecutive years, rows of figures per region, product
 * or department with a total row (the figures add up), and the source of the data.
 */
final class TableDocument {
    /** A subject: what the rows are, their labels, and the measure with its unit. */
    private record Subject(String rowHeading, List<String> rows, String measure) {}

    private static final List<Subject> SUBJECTS = List.of(
            new Subject(
                    "Region",
                    List.of("North", "South", "East", "West", "Central", "Overseas", "Midwest"),
                    "Sales ($ thousands)"),
            new Subject(
                    "Product",
                    List.of("Filters", "Menthol", "Lights", "Regular", "Cigars", "Pipe Tobacco", "Snuff"),
                    "Units sold (thousands)"),
            new Subject("Department", DocWords.DEPARTMENTS, "Expenses ($ thousands)"),
            new Subject(
                    "Plant",
                    List.of("Richmond", "Louisville", "Greensboro", "Macon", "Durham", "Cabarrus"),
                    "Employees"));
    private static final int LABEL_BAR = 18;
    private static final int FIRST_VALUE_END = 26;
    private static final int VALUE_WIDTH = 7;

    private TableDocument() {}

    static SyntheticDocument make(SplitMix64 rng) {
        DocumentPage page = new DocumentPage();
        List<DocQa> qas = new ArrayList<>();
        Subject subject = rng.pick(SUBJECTS);
        int tableNumber = 1 + rng.nextInt(12);
        int years = 2 + rng.nextInt(3);
        int firstYear = 1970 + rng.nextInt(26);
        String caption = subject.measure() + " by " + subject.rowHeading().toLowerCase(Locale.ROOT) + ", " + firstYear
                + "-" + (firstYear + years - 1);
        String company = rng.pick(DocWords.COMPANIES);
        String source = company + " annual report";

        page.text(0, 0, "Table " + tableNumber + ".");
        page.text(1, 0, caption);
        page.rule(3, 0, DocumentPage.COLUMNS, false);
        page.text(4, 1, subject.rowHeading());
        for (int y = 0; y < years; y++) {
            page.rightAligned(4, FIRST_VALUE_END + y * VALUE_WIDTH, Integer.toString(firstYear + y));
        }
        page.rule(4, 0, DocumentPage.COLUMNS, false);
        qas.add(DocQa.of("What is the number of the table?", Integer.toString(tableNumber)));
        qas.add(DocQa.of("What is the caption of the table?", caption));
        qas.add(DocQa.of("What is the source of the data?", source, company));

        List<String> labels = new ArrayList<>(subject.rows());
        int rows = 3 + rng.nextInt(Math.min(5, labels.size() - 2));
        long[] totals = new long[years];
        long[] best = new long[years];
        String[] bestLabel = new String[years];
        boolean[] tie = new boolean[years];
        List<DocQa> cellQas = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            String label = labels.remove(rng.nextInt(labels.size()));
            int row = 6 + r;
            page.text(row, 1, label);
            long base = 50 + rng.nextInt(4000);
            for (int y = 0; y < years; y++) {
                long value = Math.max(1, base + (long) ((rng.nextDouble() - 0.4) * base * 0.3 * (y + 1)));
                totals[y] += value;
                if (value > best[y]) {
                    best[y] = value;
                    bestLabel[y] = label;
                    tie[y] = false;
                } else if (value == best[y]) {
                    tie[y] = true;
                }
                String printed = String.format(Locale.ROOT, "%,d", value);
                page.rightAligned(row, FIRST_VALUE_END + y * VALUE_WIDTH, printed);
                cellQas.add(DocQa.of(
                        "What is the value for " + label + " in " + (firstYear + y) + "?",
                        printed,
                        Long.toString(value)));
            }
        }
        int totalRow = 6 + rows + 1;
        page.rule(6 + rows, 0, DocumentPage.COLUMNS, false);
        page.text(totalRow, 1, "Total");
        for (int y = 0; y < years; y++) {
            String printed = String.format(Locale.ROOT, "%,d", totals[y]);
            page.rightAligned(totalRow, FIRST_VALUE_END + y * VALUE_WIDTH, printed);
            qas.add(DocQa.of("What is the total for " + (firstYear + y) + "?", printed, Long.toString(totals[y])));
            if (!tie[y]) {
                qas.add(DocQa.of(
                        "Which " + subject.rowHeading().toLowerCase(Locale.ROOT) + " has the highest value in "
                                + (firstYear + y) + "?",
                        bestLabel[y]));
            }
        }
        page.bar(LABEL_BAR, 4, totalRow + 1);
        page.rule(totalRow, 0, DocumentPage.COLUMNS, false);
        page.text(totalRow + 2, 0, "Source: " + source);
        qas.addAll(cellQas);
        return new SyntheticDocument(DocumentKind.TABLE, page, qas);
    }
}
