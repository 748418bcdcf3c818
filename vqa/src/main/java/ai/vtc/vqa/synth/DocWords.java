package ai.vtc.vqa.synth;

import ai.vtc.vqa.internal.SplitMix64;
import java.util.List;
import java.util.Locale;

/** The names, places and numbers synthetic documents are filled with, in the forms a typist prints them. */
final class DocWords {
    private DocWords() {}

    static final List<String> FIRST_NAMES = List.of(
            "John", "Mary", "Robert", "Linda", "James", "Susan", "David", "Karen", "Thomas", "Nancy", "Paul", "Helen",
            "George", "Carol", "Edward", "Ruth", "Frank", "Joan", "Walter", "Alice", "Henry", "Janet", "Arthur",
            "Diane");
    static final List<String> LAST_NAMES = List.of(
            "Smith",
            "Johnson",
            "Miller",
            "Davis",
            "Wilson",
            "Moore",
            "Taylor",
            "Anderson",
            "Thomas",
            "Jackson",
            "White",
            "Harris",
            "Martin",
            "Thompson",
            "Garcia",
            "Clark",
            "Lewis",
            "Walker",
            "Hall",
            "Young",
            "Allen",
            "King",
            "Wright",
            "Scott",
            "Green",
            "Baker",
            "Adams",
            "Nelson",
            "Carter",
            "Mitchell");
    static final List<String> COMPANIES = List.of(
            "Acme Tobacco Co.",
            "Brown & Carter Inc.",
            "Lorillard Corp.",
            "Global Foods Ltd.",
            "Northern Paper Co.",
            "Pioneer Chemicals",
            "United Research Inc.",
            "Atlas Industries",
            "Summit Health Corp.",
            "Harbor Shipping Co.",
            "Liberty Mills Inc.",
            "Keystone Labs",
            "Redwood Press",
            "Union Steel Co.");
    static final List<String> STREETS = List.of(
            "Main Street",
            "Oak Avenue",
            "Park Road",
            "Elm Street",
            "Lake Drive",
            "Hill Road",
            "Maple Lane",
            "Church Street",
            "River Road",
            "Market Street",
            "Pine Avenue",
            "Mill Lane");
    static final List<String> CITIES = List.of(
            "Richmond",
            "Louisville",
            "Greensboro",
            "Winston-Salem",
            "Raleigh",
            "Atlanta",
            "Chicago",
            "New York",
            "Boston",
            "Denver",
            "Dallas",
            "Portland",
            "Memphis",
            "Columbus",
            "Baltimore",
            "Newark");
    static final List<String> DEPARTMENTS = List.of(
            "Marketing",
            "Research",
            "Accounting",
            "Personnel",
            "Sales",
            "Legal",
            "Engineering",
            "Purchasing",
            "Quality Control",
            "Public Relations");
    static final List<String> POSITIONS = List.of(
            "Manager",
            "Chemist",
            "Accountant",
            "Sales Agent",
            "Secretary",
            "Director",
            "Engineer",
            "Analyst",
            "Supervisor",
            "Consultant");
    static final List<String> MONTHS = List.of(
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December");

    static String person(SplitMix64 rng) {
        return rng.pick(FIRST_NAMES) + " " + rng.pick(LAST_NAMES);
    }

    static String streetAddress(SplitMix64 rng) {
        return (10 + rng.nextInt(990)) + " " + rng.pick(STREETS);
    }

    /** A telephone number {@code (804) 555-0134}. */
    static String phone(SplitMix64 rng) {
        return "(" + (201 + rng.nextInt(790)) + ") 555-" + String.format(Locale.ROOT, "%04d", rng.nextInt(10000));
    }

    /** {@code (804) 555-0134} as {@code 804-555-0134}, how annotators often write it. */
    static String phoneWithoutBrackets(String phone) {
        return phone.substring(1, 4) + "-" + phone.substring(6);
    }

    /** A date between 1960 and 1999 in one of three printed forms. */
    static String date(SplitMix64 rng) {
        int year = 1960 + rng.nextInt(40);
        int month = 1 + rng.nextInt(12);
        int day = 1 + rng.nextInt(28);
        return switch (rng.nextInt(3)) {
            case 0 -> String.format(Locale.ROOT, "%02d/%02d/%d", month, day, year);
            case 1 -> MONTHS.get(month - 1) + " " + day + ", " + year;
            default -> day + " " + MONTHS.get(month - 1).substring(0, 3) + " " + year;
        };
    }

    /** Cents as {@code 1,250.75}. */
    static String amount(long cents) {
        return String.format(Locale.ROOT, "%,d.%02d", cents / 100, cents % 100);
    }
}
