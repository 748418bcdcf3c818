package ai.vtc.dataset.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the splits in a source's file list. Two layouts are accepted, also side by side:
 *
 * <ul>
 *   <li>the official VQAv2 one: {@code v2_OpenEnded_mscoco_<subtype>_questions.json} and
 *       {@code v2_mscoco_<subtype>_annotations.json} at the top, images in {@code <subtype>/} (as the COCO zip
 *       unpacks) or {@code images/<subtype>/}; the split is the subtype without its year ({@code val2014} is
 *       {@code val});
 *   <li>one folder per split: {@code <split>/questions.json}, {@code <split>/annotations.json} and
 *       {@code <split>/images/}.
 * </ul>
 *
 * Other files are ignored. Questions without an annotations file, or the reverse, are an error.
 */
public final class SourceLayout {
    private static final Pattern OFFICIAL_QUESTIONS =
            Pattern.compile("v2_OpenEnded_mscoco_([A-Za-z0-9-]+)_questions\\.json");
    private static final Pattern OFFICIAL_ANNOTATIONS = Pattern.compile("v2_mscoco_([A-Za-z0-9-]+)_annotations\\.json");
    private static final Pattern PLAIN = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_-]*)/(questions|annotations)\\.json");
    private static final Pattern YEAR = Pattern.compile("^(.*[A-Za-z-])(\\d{4})$");

    private SourceLayout() {}

    /** The splits of {@code files} (relative paths), sorted by name; an {@link IngestProblem} when there are none. */
    public static List<SplitFiles> splits(List<String> files, String source) {
        Map<String, String[]> official = new TreeMap<>();
        Map<String, String[]> plain = new TreeMap<>();
        for (String file : files) {
            Matcher m;
            if ((m = OFFICIAL_QUESTIONS.matcher(file)).matches()) {
                official.computeIfAbsent(m.group(1), k -> new String[2])[0] = file;
            } else if ((m = OFFICIAL_ANNOTATIONS.matcher(file)).matches()) {
                official.computeIfAbsent(m.group(1), k -> new String[2])[1] = file;
            } else if ((m = PLAIN.matcher(file)).matches()) {
                plain.computeIfAbsent(m.group(1), k -> new String[2])[m.group(2).equals("questions") ? 0 : 1] = file;
            }
        }
        List<SplitFiles> splits = new ArrayList<>();
        Set<String> names = new HashSet<>();
        official.forEach((subtype, pair) -> {
            String[] expected = {
                "v2_OpenEnded_mscoco_" + subtype + "_questions.json", "v2_mscoco_" + subtype + "_annotations.json"
            };
            complete(pair, expected, source);
            String name = splitName(subtype);
            names.add(name);
            splits.add(new SplitFiles(name, pair[0], pair[1], List.of(subtype, "images/" + subtype)));
        });
        plain.forEach((split, pair) -> {
            complete(pair, new String[] {split + "/questions.json", split + "/annotations.json"}, source);
            if (!names.add(split)) {
                throw new IngestProblem("split '" + split + "' is in " + source + " twice: as " + pair[0]
                        + " and in the official VQAv2 file names");
            }
            splits.add(new SplitFiles(split, pair[0], pair[1], List.of(split + "/images")));
        });
        if (splits.isEmpty()) {
            throw new IngestProblem(
                    "no split in " + source + ": expected v2_OpenEnded_mscoco_<split>2014_questions.json"
                            + " with v2_mscoco_<split>2014_annotations.json, or <split>/questions.json with"
                            + " <split>/annotations.json");
        }
        splits.sort((a, b) -> a.name().compareTo(b.name()));
        return splits;
    }

    /** {@code val2014} is {@code val}, {@code test-dev2015} is {@code test-dev}; a subtype without a year stays. */
    static String splitName(String subtype) {
        Matcher m = YEAR.matcher(subtype);
        String name = m.matches() ? m.group(1) : subtype;
        return name.endsWith("-") ? name.substring(0, name.length() - 1) : name;
    }

    private static void complete(String[] pair, String[] expected, String source) {
        if (pair[1] == null) {
            throw new IngestProblem("questions without annotations: " + pair[0] + " in " + source + " has no "
                    + expected[1] + " beside it");
        }
        if (pair[0] == null) {
            throw new IngestProblem("annotations without questions: " + pair[1] + " in " + source + " has no "
                    + expected[0] + " beside it");
        }
    }
}
