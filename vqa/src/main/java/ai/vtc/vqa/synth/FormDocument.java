package ai.vtc.vqa.synth;

import ai.vtc.vqa.internal.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A filled-in form: a title, the issuing company, a form number and date, then labelled fields with handwritten
 * values on ruled lines, and a signature line.
 */
final class FormDocument {
    private static final List<String> TITLES = List.of(
            "APPLICATION FORM",
            "EMPLOYEE RECORD",
            "ORDER FORM",
            "REGISTRATION FORM",
            "EXPENSE CLAIM",
            "PERSONNEL ACTION",
            "REQUEST FORM");
    private static final int VALUE_COLUMN = 17;

    /** A field: its printed label and how to ask for it. */
    private record Field(String label, String question) {}

    private FormDocument() {}

    static SyntheticDocument make(SplitMix64 rng) {
        DocumentPage page = new DocumentPage();
        List<DocQa> qas = new ArrayList<>();
        String title = rng.pick(TITLES);
        String company = rng.pick(DocWords.COMPANIES);
        String number = (1000 + rng.nextInt(9000)) + "-" + (char) ('A' + rng.nextInt(6));
        String date = DocWords.date(rng);
        page.centred(0, title, 2);
        page.centred(3, company, 1);
        page.text(5, 0, "Form No. " + number);
        page.rightAligned(5, DocumentPage.COLUMNS, "Date: " + date);
        page.rule(6, 0, DocumentPage.COLUMNS, false);
        qas.add(DocQa.of("What is the title of the form?", title));
        qas.add(DocQa.of("Which company issued the form?", company));
        qas.add(DocQa.of("What is the form number?", number));
        qas.add(DocQa.of("What is the date mentioned in the form?", date));

        List<Field> fields = new ArrayList<>(List.of(
                new Field("Name", "What is the name written on the form?"),
                new Field("Address", "What is the address?"),
                new Field("City", "Which city is mentioned in the form?"),
                new Field("Telephone", "What is the telephone number?"),
                new Field("Department", "Which department is mentioned?"),
                new Field("Position", "What is the position?"),
                new Field("Employee No.", "What is the employee number?"),
                new Field("Amount", "What is the amount?"),
                new Field("Date of Birth", "What is the date of birth?")));
        int count = 5 + rng.nextInt(3);
        for (int k = 0; k < count; k++) {
            Field field = fields.remove(rng.nextInt(fields.size()));
            int row = 8 + 2 * k;
            String value = value(field.label(), rng);
            page.text(row, 0, field.label() + ":");
            page.filled(row, VALUE_COLUMN, value);
            page.rule(row, VALUE_COLUMN - 1, DocumentPage.COLUMNS, true);
            qas.add(
                    switch (field.label()) {
                        case "Telephone" -> DocQa.of(field.question(), value, DocWords.phoneWithoutBrackets(value));
                        case "Amount" -> DocQa.of(field.question(), value, value.substring(1));
                        default -> DocQa.of(field.question(), value);
                    });
        }
        String signer = DocWords.person(rng);
        page.text(25, 0, "Signature:");
        page.rule(25, VALUE_COLUMN - 1, 34, false);
        page.text(27, 0, "Approved by:");
        page.filled(27, VALUE_COLUMN, signer);
        page.rule(27, VALUE_COLUMN - 1, DocumentPage.COLUMNS, true);
        page.text(
                30,
                0,
                "Form " + title.substring(0, 2) + "-" + number.substring(0, 4).toLowerCase(Locale.ROOT));
        qas.add(DocQa.of("Who approved the form?", signer));
        return new SyntheticDocument(DocumentKind.FORM, page, qas);
    }

    private static String value(String label, SplitMix64 rng) {
        return switch (label) {
            case "Name" -> DocWords.person(rng);
            case "Address" -> DocWords.streetAddress(rng);
            case "City" -> rng.pick(DocWords.CITIES);
            case "Telephone" -> DocWords.phone(rng);
            case "Department" -> rng.pick(DocWords.DEPARTMENTS);
            case "Position" -> rng.pick(DocWords.POSITIONS);
            case "Employee No." -> Integer.toString(10000 + rng.nextInt(90000));
            case "Amount" -> "$" + DocWords.amount(100L * (5 + rng.nextInt(2000)) + 25L * rng.nextInt(4));
            case "Date of Birth" -> DocWords.date(rng);
            default -> throw new IllegalArgumentException("no value for field " + label);
        };
    }
}
