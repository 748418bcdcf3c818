package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccuracyByTypeTest {
    @Test
    void writesTheTypesInOrderAndReadsThemBack() {
        Map<String, Double> percent = new LinkedHashMap<>();
        percent.put("yes/no", 61.3);
        percent.put("number", 20.0);
        percent.put("other", 35.12);
        String json = AccuracyByType.write(percent);
        assertEquals("{\"number\":20.0,\"other\":35.12,\"yes/no\":61.3}", json);
        assertEquals(percent, AccuracyByType.read(json));
        assertEquals(
                List.of("number", "other", "yes/no"),
                List.copyOf(AccuracyByType.read(json).keySet()));
    }

    @Test
    void anythingButAnObjectOfNumbersFailsNamingTheFormatAndQuotingTheText() {
        for (String bad : List.of("[1,2]", "{\"other\":\"high\"}", "{\"other\":null}", "null", "{not json")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccuracyByType.read(bad));
            assertTrue(e.getMessage().startsWith("per-type accuracy is not a JSON object of type to percent"), bad);
            assertTrue(e.getMessage().endsWith(bad), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> AccuracyByType.read(null));
    }
}
