package ai.vtc.florence2.postprocess;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * The post-processed answer of one task, in the structures of the processor's {@code post_process_generation} (and
 * serialized by Jackson with its keys): plain text; labelled boxes (detection, dense captions, region proposals,
 * phrase grounding), with scores when computed from transition scores; OCR lines with quad boxes; labelled polygons
 * (one list of polygons per instance); or open-vocabulary detection's boxes or polygons.
 */
public sealed interface TaskAnswer {

    /** {@code pure_text}: the text without {@code <s>} and {@code </s>}. */
    record PlainText(@JsonValue String text) implements TaskAnswer {}

    /** {@code description_with_bboxes}, {@code bboxes}, {@code phrase_grounding}: one label per box. */
    record LabelledBoxes(
            List<Box> bboxes,
            List<String> labels,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<Double> scores) implements TaskAnswer {

        public LabelledBoxes {
            bboxes = List.copyOf(bboxes);
            labels = List.copyOf(labels);
            scores = scores == null ? null : List.copyOf(scores);
        }
    }

    /** {@code ocr}: one text line per quad box. */
    record OcrRegions(@JsonProperty("quad_boxes") List<Polygon> quadBoxes, List<String> labels) implements TaskAnswer {

        public OcrRegions {
            quadBoxes = List.copyOf(quadBoxes);
            labels = List.copyOf(labels);
        }
    }

    /** {@code polygons}: per instance its polygons and its label. */
    record LabelledPolygons(List<List<Polygon>> polygons, List<String> labels) implements TaskAnswer {

        public LabelledPolygons {
            polygons = polygons.stream().map(List::copyOf).toList();
            labels = List.copyOf(labels);
        }
    }

    /** {@code description_with_bboxes_or_polygons}: boxes, or polygons when the text holds {@code <poly>}. */
    record BoxesOrPolygons(
            List<Box> bboxes,
            @JsonProperty("bboxes_labels") List<String> bboxesLabels,
            List<List<Polygon>> polygons,
            @JsonProperty("polygons_labels") List<String> polygonsLabels)
            implements TaskAnswer {

        public BoxesOrPolygons {
            bboxes = List.copyOf(bboxes);
            bboxesLabels = List.copyOf(bboxesLabels);
            polygons = polygons.stream().map(List::copyOf).toList();
            polygonsLabels = List.copyOf(polygonsLabels);
        }
    }
}
