package ai.vtc.vqa;

import ai.vtc.vqa.internal.VqaJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The top-level members of a VQAv2 questions or annotations file besides the list itself.
 *
 * @param info the {@code info} object, as read
 * @param taskType {@code "Open-Ended"} (questions files only; annotations files have none, null)
 * @param dataType {@code "mscoco"}
 * @param dataSubtype the split, e.g. {@code "val2014"}
 * @param license the {@code license} object, as read
 */
public record VqaHeader(JsonNode info, String taskType, String dataType, String dataSubtype, JsonNode license) {
    public static final String OPEN_ENDED = "Open-Ended";
    public static final String MSCOCO = "mscoco";

    /** The header VQAv2 files carry, for a split such as {@code train2014}, with {@code description} in the info. */
    public static VqaHeader of(String dataSubtype, String description) {
        ObjectNode info = VqaJson.MAPPER.createObjectNode();
        info.put("description", description);
        info.put("url", "http://visualqa.org");
        info.put("version", "2.0");
        info.put("year", 2017);
        info.put("contributor", "VQA Team");
        info.put("date_created", "2017-04-26 17:07:13");
        ObjectNode license = VqaJson.MAPPER.createObjectNode();
        license.put("url", "http://creativecommons.org/licenses/by/4.0/");
        license.put("name", "Creative Commons Attribution 4.0 International License");
        return new VqaHeader(info, OPEN_ENDED, MSCOCO, dataSubtype, license);
    }

    /** The same header for an annotations file, which has no {@code task_type}. */
    public VqaHeader withTaskTypeRemoved() {
        return new VqaHeader(info, null, dataType, dataSubtype, license);
    }

    public VqaHeader withDataSubtype(String subtype) {
        return new VqaHeader(info, taskType, dataType, subtype, license);
    }
}
