package ai.vtc.vqa;

import java.util.ArrayList;
import java.util.List;

/**
 * Two id sets that must be equal are not: a results file that misses questions, names unknown ones or repeats one,
 * or questions and annotations that do not correspond. Carries the counts and the first {@value #SHOWN} ids of each
 * kind; the message lists them.
 */
public final class IdMismatchException extends IllegalArgumentException {
    /** How many ids of each kind are kept and listed. */
    public static final int SHOWN = 10;

    private final long missingCount;
    private final long unknownCount;
    private final long duplicateCount;
    private final List<Long> missing;
    private final List<Long> unknown;
    private final List<Long> duplicates;
    private final List<String> conflicts;

    private IdMismatchException(Collector c) {
        super(c.message());
        this.missingCount = c.missingCount;
        this.unknownCount = c.unknownCount;
        this.duplicateCount = c.duplicateCount;
        this.missing = List.copyOf(c.missing);
        this.unknown = List.copyOf(c.unknown);
        this.duplicates = List.copyOf(c.duplicates);
        this.conflicts = List.copyOf(c.conflicts);
    }

    /** How many expected ids are absent (e.g. questions without a prediction). */
    public long missingCount() {
        return missingCount;
    }

    /** How many ids are not expected (e.g. predictions for questions not in the annotations). */
    public long unknownCount() {
        return unknownCount;
    }

    /** How many ids occur more than once (each repetition counts). */
    public long duplicateCount() {
        return duplicateCount;
    }

    /** The first missing ids. */
    public List<Long> missing() {
        return missing;
    }

    /** The first unknown ids. */
    public List<Long> unknown() {
        return unknown;
    }

    /** The first repeated ids. */
    public List<Long> duplicates() {
        return duplicates;
    }

    /** The first ids present on both sides but inconsistent, each with what differs. */
    public List<String> conflicts() {
        return conflicts;
    }

    /** Gathers mismatches, then throws once with all of them. */
    static final class Collector {
        private final String what;
        private final String missingLabel;
        private final String unknownLabel;
        private long missingCount;
        private long unknownCount;
        private long duplicateCount;
        private long conflictCount;
        private final List<Long> missing = new ArrayList<>();
        private final List<Long> unknown = new ArrayList<>();
        private final List<Long> duplicates = new ArrayList<>();
        private final List<String> conflicts = new ArrayList<>();

        Collector(String what, String missingLabel, String unknownLabel) {
            this.what = what;
            this.missingLabel = missingLabel;
            this.unknownLabel = unknownLabel;
        }

        void missing(long id) {
            if (missingCount++ < SHOWN) {
                missing.add(id);
            }
        }

        void unknown(long id) {
            if (unknownCount++ < SHOWN) {
                unknown.add(id);
            }
        }

        void duplicate(long id) {
            if (duplicateCount++ < SHOWN) {
                duplicates.add(id);
            }
        }

        void conflict(long id, String detail) {
            if (conflictCount++ < SHOWN) {
                conflicts.add(id + ": " + detail);
            }
        }

        void throwIfAny() {
            if (missingCount + unknownCount + duplicateCount + conflictCount > 0) {
                throw new IdMismatchException(this);
            }
        }

        private String message() {
            List<String> parts = new ArrayList<>();
            part(parts, missingCount, missingLabel, missing);
            part(parts, unknownCount, unknownLabel, unknown);
            part(parts, duplicateCount, "repeated question ids", duplicates);
            part(parts, conflictCount, "inconsistent question ids", conflicts);
            return what + " do not correspond: " + String.join("; ", parts);
        }

        private static void part(List<String> parts, long count, String label, List<?> first) {
            if (count == 0) {
                return;
            }
            String shown = first.toString();
            shown = shown.substring(1, shown.length() - 1);
            parts.add(count + " " + label + " (" + (count > first.size() ? "first " + first.size() + ": " : "") + shown
                    + ")");
        }
    }
}
