package ai.vtc.florence2.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.florence2.Florence2Config;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordedCompressionTest {

    @Test
    void everyMethodSurvivesConfigJsonWithTheOriginalKeys() {
        Florence2Config config = Florence2Config.tinyDemo();
        for (Compression c : List.of(
                Compression.none(),
                Compression.avgPool(4, 2, true),
                Compression.learnablePool(2, 0, false),
                Compression.pool2d(2, 1),
                Compression.attnPrune(4, 1),
                Compression.divPrune(3, 0),
                Compression.dominantMerge(4, 2, 1),
                Compression.random(4, 0, 7),
                Compression.downsample(64))) {
            Florence2Config recorded = RecordedCompression.record(config, c);
            Florence2Config reread = Florence2Config.parse(recorded.toJson());
            assertEquals(Optional.of(c), RecordedCompression.of(reread), c.toString());
            assertEquals(config.textConfig(), reread.textConfig(), "the model's own settings are untouched");
        }
        Florence2Config pooled = RecordedCompression.record(config, Compression.avgPool(4, 2, true));
        String json = pooled.toJson();
        for (String key : List.of(
                "\"compression_mode\" : \"avg_pool\"",
                "\"compression_factor\" : 4",
                "\"compression_stage\" : 2",
                "\"compression_sorted\" : true",
                "\"compression_keep\" : 0",
                "\"compression_dominant\" : 0",
                "\"compression_image_size\" : 0")) {
            assertTrue(json.contains(key), key + " in " + json);
        }
    }

    @Test
    void aConfigWithoutARecordedCompressionHasNone() {
        assertEquals(Optional.empty(), RecordedCompression.of(Florence2Config.tinyDemo()));
    }

    @Test
    void anInvalidRecordNamesTheKey() {
        String json = Florence2Config.tinyDemo()
                .toJson()
                .replaceFirst(
                        "\"text_config\" : \\{",
                        "\"text_config\" : {\"compression_mode\": \"avg_pool\","
                                + " \"compression_factor\": \"four\",");
        InvalidCompressionException e = assertThrows(
                InvalidCompressionException.class, () -> RecordedCompression.of(Florence2Config.parse(json)));
        assertTrue(e.getMessage().contains("text_config.compression_factor must be an integer"), e.getMessage());
    }
}
