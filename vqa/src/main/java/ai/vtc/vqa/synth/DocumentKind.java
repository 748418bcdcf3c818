package ai.vtc.vqa.synth;

/** The kinds of synthetic documents; each question carries its document's kind as its DocVQA question type. */
public enum DocumentKind {
    /** A filled-in form: printed labels, handwritten values, a form number and a date. */
    FORM,
    /** A shop receipt: items with prices, subtotal, tax, total, date, time and payment. */
    RECEIPT,
    /** A numeric table with a caption, row labels, year columns, totals and a source line. */
    TABLE;

    /** The question type written for its questions ({@code form}, {@code receipt}, {@code table}). */
    public String questionType() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
