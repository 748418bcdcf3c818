package ai.vtc.florence2.postprocess;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OCR lines with quad boxes from generated text, as the processor's {@code parse_ocr_from_text_and_spans} reads it:
 * only {@code <s>} is removed (so the first line keeps a leading {@code </s>}, as in the model card), and every
 * shortest run of characters on one line followed by eight locations is a line and its four corners. Text before a
 * newline is lost, and a line with fewer than eight locations runs into the next one's label, as in the original.
 * Its area filter is off (threshold 0) and not reproduced.
 */
final class OcrParser {

    private static final Pattern LINE =
            PythonText.compile("(.+?)" + ("<loc_(D+)>").repeat(8).replace("D", PythonText.DIGIT));

    private OcrParser() {}

    static TaskAnswer.OcrRegions parse(String text, ImageSize size) {
        Matcher line = LINE.matcher(text.replace("<s>", ""));
        List<Polygon> quads = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        while (line.find()) {
            List<Double> corners = new ArrayList<>(8);
            for (int i = 0; i < 8; i++) {
                int bin = LocationBins.bin(line.group(2 + i));
                corners.add(LocationBins.coordinate(bin, i % 2 == 0 ? size.width() : size.height()));
            }
            quads.add(new Polygon(corners));
            labels.add(line.group(1));
        }
        return new TaskAnswer.OcrRegions(quads, labels);
    }
}
