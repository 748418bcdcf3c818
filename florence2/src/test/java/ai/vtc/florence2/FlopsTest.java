package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FLOP counting rules of {@link Florence2Flops}, checked by hand on a one-stage model small enough to add up. */
class FlopsTest {
    @TempDir
    Path tmp;

    /** One DaViT stage (4x4 patches of 16 px: a 4 x 4 grid of 8 channels, window 2), a 2-layer encoder, 1 decoder layer. */
    private Florence2Config small() throws IOException {
        Path file = tmp.resolve("config.json");
        Files.writeString(file, """
                {"model_type": "florence2", "vocab_size": 50, "projection_dim": 16,
                 "vision_config": {"patch_size": [4], "patch_stride": [4], "patch_padding": [0], "patch_prenorm": [false],
                   "dim_embed": [8], "num_heads": [2], "num_groups": [2], "depths": [1], "window_size": 2,
                   "projection_dim": 16},
                 "text_config": {"vocab_size": 50, "d_model": 16, "encoder_layers": 2, "decoder_layers": 1,
                   "encoder_attention_heads": 2, "decoder_attention_heads": 2, "encoder_ffn_dim": 32,
                   "decoder_ffn_dim": 32}}
                """);
        return Florence2Config.read(file);
    }

    @Test
    void everyTermAddsUpByHand() throws IOException {
        Florence2Flops.Cost none = Florence2Flops.of(small(), 16, 3, 0, 16);
        // patch conv 2*16*4*4*3*8 = 12288; spatial block 4608 (dw) + 6144 (qkv) + 2048 (windows) + 2048 (proj)
        // + 16384 (mlp) = 31232; channel block the same with 4*16*64/2 = 2048 for the groups; projection 2*17*8*16
        assertEquals((12288 + 31232 + 31232 + 4352) / 1e9, none.vision(), 1e-15);
        // L = 1 + 16 + 3 = 20: 2*4*20*256 + 2*2*400*16 + 2*2*20*16*32 = 107520 per layer
        assertEquals(2 * 107520 / 1e9, none.encoder(), 1e-15);
        // S = 20: 2*2*20*256
        assertEquals(20480 / 1e9, none.crossAttentionKeysValues(), 1e-15);
        // 2*4*256 + 2*2*256 + 2*2*20*16 + 2*2*16*32 + lm head 2*16*50
        assertEquals((2048 + 1024 + 1280 + 2048 + 1600) / 1e9, none.decoderPerToken(), 1e-15);
        assertEquals(none.vision() + none.encoder() + none.crossAttentionKeysValues(), none.prefill(), 1e-15);
    }

    @Test
    void compressionShortensTheLayersFromItsStageOnAndTheCrossAttention() throws IOException {
        Florence2Flops.Cost atStage1 = Florence2Flops.of(small(), 16, 3, 1, 4);
        // layer 0 at L = 20 (107520), layer 1 at L = 8: 16384 + 4096 + 16384
        assertEquals((107520 + 36864) / 1e9, atStage1.encoder(), 1e-15);
        assertEquals(8192 / 1e9, atStage1.crossAttentionKeysValues(), 1e-15);
        Florence2Flops.Cost onOutput = Florence2Flops.of(small(), 16, 3, 2, 4);
        assertEquals(2 * 107520 / 1e9, onOutput.encoder(), 1e-15);
        assertEquals(atStage1.decoderPerToken(), onOutput.decoderPerToken(), 1e-15);
        assertTrue(Florence2Flops.of(small(), 16, 3, 0, 4).encoder() < atStage1.encoder());
    }

    @Test
    void aSmallerImageCostsLessVision() throws IOException {
        Florence2Flops.Cost full = Florence2Flops.of(small(), 16, 3, 0, 16);
        Florence2Flops.Cost half = Florence2Flops.of(small(), 8, 3, 0, 4);
        assertTrue(half.vision() < full.vision() / 3, half + " vs " + full);
    }
}
