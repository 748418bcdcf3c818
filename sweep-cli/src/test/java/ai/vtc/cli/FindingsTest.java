package ai.vtc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class FindingsTest {
    private static String row(String training, String mode, String extra, int tokens, String comparison) {
        return "{\"training\": \"" + training + "\", \"mode\": \"" + mode + "\"" + extra + ", \"visual_tokens\": "
                + tokens + ", \"accuracy\": 50" + (comparison == null ? "" : ", \"comparison\": " + comparison)
                + ", \"comparison_note\": \"" + (comparison == null ? "this trial is the reference" : "") + "\"}";
    }

    private static String comparison(double difference, double lower, double upper, boolean significant) {
        return "{\"difference\": " + difference + ", \"lower\": " + lower + ", \"upper\": " + upper
                + ", \"significant\": " + significant + ", \"questions\": 500}";
    }

    @Test
    void sentencesSaySignificantLossesAndTheCheapestSettingWithout() throws Exception {
        String json = "{\"results\": ["
                + row("none", "none", "", 17, null) + ","
                + row("none", "avg_pool", ", \"factor\": 8, \"stage\": 0", 3, comparison(-4.2, -6.9, -1.6, true)) + ","
                + row("none", "random", ", \"keep\": 4, \"stage\": 0", 5, comparison(-0.6, -2.1, 0.9, false)) + ","
                + row("none", "pool2d", ", \"factor\": 2, \"stage\": 0", 5, comparison(0.4, -1.0, 1.8, false)) + ","
                + row("fine_tune", "avg_pool", ", \"factor\": 8, \"stage\": 0", 3, null) + "]}";
        String text = Findings.of(new ObjectMapper().readTree(json));
        assertEquals(
                "Training-free (the pretrained model, compressed at inference), against the uncompressed model (paired"
                        + " 95% intervals over the 500 questions):\n"
                        + "  lose accuracy significantly: avg_pool f=8 s=0 -4.20 [-6.90, -1.60]\n"
                        + "  no significant difference: random keep=4 s=0 -0.60; pool2d f=2 s=0 +0.40\n"
                        + "  fewest visual tokens without a significant loss: random keep=4 s=0 (5 visual tokens)\n"
                        + "Fine-tuned with the compression: no paired comparison (no comparison yet).\n",
                text);
    }
}
