package ai.vtc.vqa;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** The header members in the order of the VQAv2 files. */
final class HeaderWriter {
    private HeaderWriter() {}

    static void write(JsonGenerator g, VqaHeader h, boolean questionsFile) throws IOException {
        if (h == null) {
            return;
        }
        if (questionsFile) {
            tree(g, "info", h.info());
            string(g, "task_type", h.taskType());
            string(g, "data_type", h.dataType());
            string(g, "data_subtype", h.dataSubtype());
            tree(g, "license", h.license());
        } else {
            tree(g, "info", h.info());
            tree(g, "license", h.license());
            string(g, "data_type", h.dataType());
            string(g, "data_subtype", h.dataSubtype());
        }
    }

    private static void tree(JsonGenerator g, String name, JsonNode node) throws IOException {
        if (node != null) {
            g.writeFieldName(name);
            g.writeTree(node);
        }
    }

    private static void string(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
