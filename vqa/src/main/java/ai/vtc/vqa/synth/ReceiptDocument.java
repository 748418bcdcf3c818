package ai.vtc.vqa.synth;

import ai.vtc.vqa.internal.SplitMix64;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A shop receipt: the shop's name, address and telephone, date, time and receipt number, the items bought with
 * their prices, subtotal, tax and total (which add up), and how it was paid.
 */
final class ReceiptDocument {
    private static final List<String> SHOPS = List.of(
            "CORNER MARKET",
            "CITY PHARMACY",
            "BLUE CAFE",
            "OFFICE SUPPLY",
            "FRESH GROCER",
            "BOOK NOOK",
            "HARDWARE DEPOT",
            "DELI EXPRESS");
    /** Items with their price range in cents. */
    private static final List<Object[]> ITEMS = List.of(
            new Object[] {"Coffee", 120, 450},
            new Object[] {"Bagel", 90, 300},
            new Object[] {"Milk 1L", 80, 250},
            new Object[] {"Bread", 150, 400},
            new Object[] {"Apples", 200, 600},
            new Object[] {"Notebook", 150, 900},
            new Object[] {"Pens (10)", 300, 1200},
            new Object[] {"Batteries", 400, 1500},
            new Object[] {"Aspirin", 350, 1100},
            new Object[] {"Newspaper", 50, 200},
            new Object[] {"Sandwich", 350, 900},
            new Object[] {"Orange Juice", 200, 550},
            new Object[] {"Light Bulb", 150, 700},
            new Object[] {"Envelopes", 200, 800},
            new Object[] {"Tape", 100, 450},
            new Object[] {"Cheese", 300, 1200});

    private static final List<String> PAYMENTS = List.of("CASH", "VISA", "MASTERCARD", "CHECK", "AMEX");
    private static final int PRICE_END = 44;

    private ReceiptDocument() {}

    static SyntheticDocument make(SplitMix64 rng) {
        DocumentPage page = new DocumentPage();
        List<DocQa> qas = new ArrayList<>();
        String shop = rng.pick(SHOPS);
        String address = DocWords.streetAddress(rng) + ", " + rng.pick(DocWords.CITIES);
        String phone = DocWords.phone(rng);
        String date = String.format(
                Locale.ROOT, "%02d/%02d/%d", 1 + rng.nextInt(12), 1 + rng.nextInt(28), 1985 + rng.nextInt(15));
        String time = String.format(Locale.ROOT, "%02d:%02d", 7 + rng.nextInt(14), rng.nextInt(60));
        String number = String.format(Locale.ROOT, "%06d", rng.nextInt(1_000_000));
        page.centred(0, shop, 2);
        page.centred(3, address, 1);
        page.centred(4, "Tel: " + phone, 1);
        page.text(6, 4, "Date: " + date);
        page.rightAligned(6, PRICE_END, "Time: " + time);
        page.text(7, 4, "Receipt No: " + number);
        page.rule(8, 4, PRICE_END, true);
        qas.add(DocQa.of("What is the name of the store?", shop));
        qas.add(DocQa.of("What is the telephone number of the store?", phone, DocWords.phoneWithoutBrackets(phone)));
        qas.add(DocQa.of("What is the date on the receipt?", date));
        qas.add(DocQa.of("At what time was the purchase made?", time));
        qas.add(DocQa.of("What is the receipt number?", number));

        List<Object[]> items = new ArrayList<>(ITEMS);
        int count = 3 + rng.nextInt(6);
        long subtotal = 0;
        long highest = -1;
        String dearest = null;
        boolean tie = false;
        List<DocQa> itemQas = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Object[] item = items.remove(rng.nextInt(items.size()));
            String name = (String) item[0];
            long cents = (int) item[1] + rng.nextInt((int) item[2] - (int) item[1] + 1);
            cents -= cents % 5;
            subtotal += cents;
            if (cents > highest) {
                highest = cents;
                dearest = name;
                tie = false;
            } else if (cents == highest) {
                tie = true;
            }
            String price = DocWords.amount(cents);
            page.text(10 + k, 4, name);
            page.rightAligned(10 + k, PRICE_END, price);
            itemQas.add(DocQa.of("What is the price of the " + name + "?", price, "$" + price));
        }
        int after = 10 + count;
        page.rule(after, 4, PRICE_END, true);
        int taxPercent = 4 + rng.nextInt(5);
        long tax = Math.round(subtotal * taxPercent / 100.0);
        long total = subtotal + tax;
        String payment = rng.pick(PAYMENTS);
        page.text(after + 2, 4, "Subtotal");
        page.rightAligned(after + 2, PRICE_END, DocWords.amount(subtotal));
        page.text(after + 3, 4, "Tax " + taxPercent + "%");
        page.rightAligned(after + 3, PRICE_END, DocWords.amount(tax));
        page.text(after + 4, 4, "TOTAL");
        page.rightAligned(after + 4, PRICE_END, "$" + DocWords.amount(total));
        page.text(after + 6, 4, "Paid by: " + payment);
        page.centred(after + 8, "Thank you for shopping with us!", 1);
        qas.add(DocQa.of("What is the total amount?", "$" + DocWords.amount(total), DocWords.amount(total)));
        qas.add(DocQa.of("What is the subtotal?", DocWords.amount(subtotal), "$" + DocWords.amount(subtotal)));
        qas.add(DocQa.of("How much is the tax?", DocWords.amount(tax), "$" + DocWords.amount(tax)));
        qas.add(DocQa.of("How was the bill paid?", payment));
        qas.addAll(itemQas);
        if (!tie) {
            qas.add(DocQa.of("Which is the most expensive item?", dearest));
        }
        return new SyntheticDocument(DocumentKind.RECEIPT, page, qas);
    }
}
