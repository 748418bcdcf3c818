package ai.vtc.florence2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.vtc.florence2.cli.Florence2Command;
import ai.vtc.florence2.io.SafeTensorsFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code florence2 forward} pointed at a fixture folder reproduces the fixture. */
class ForwardCommandTest {

    @Test
    void forwardReproducesFixture(@TempDir Path dir) {
        Path folder = Fixtures.folder("tiny-a-strong");
        Path out = dir.resolve("out.safetensors");
        int code = Florence2Command.execute(
                "forward",
                "--model",
                folder.toString(),
                "--inputs",
                folder.resolve("expected.safetensors").toString(),
                "--output",
                out.toString());
        assertEquals(0, code);
        try (SafeTensorsFile got = SafeTensorsFile.open(out);
                SafeTensorsFile want = Fixtures.expected("tiny-a-strong")) {
            for (String name :
                    new String[] {"image_features", "encoder_last_hidden_state", "decoder_last_hidden_state", "logits"
                    }) {
                assertArrayEquals(
                        want.tensors().get(name).shape(),
                        got.tensors().get(name).shape(),
                        name);
                assertNull(Fixtures.allClose(got.readFloats(name), want.readFloats(name), 1e-4, 0), name);
            }
            assertArrayEquals(want.readLongs("greedy_tokens"), got.readLongs("greedy_tokens"));
            assertArrayEquals(
                    want.tensors().get("greedy_tokens").shape(),
                    got.tensors().get("greedy_tokens").shape());
        }
    }

    @Test
    void honouredPaddingMaskGivesTheAltTensors(@TempDir Path dir) {
        Path folder = Fixtures.folder("tiny-a");
        Path out = dir.resolve("alt.safetensors");
        assertEquals(
                0,
                Florence2Command.execute(
                        "forward",
                        "--model",
                        folder.toString(),
                        "--inputs",
                        folder.resolve("expected.safetensors").toString(),
                        "--output",
                        out.toString(),
                        "--honour-padding-mask"));
        try (SafeTensorsFile got = SafeTensorsFile.open(out);
                SafeTensorsFile want = Fixtures.expected("tiny-a")) {
            assertNull(Fixtures.allClose(
                    got.readFloats("encoder_last_hidden_state"),
                    want.readFloats("alt_encoder_last_hidden_state_text_padding_masked"),
                    1e-4,
                    0));
            assertNull(Fixtures.allClose(
                    got.readFloats("logits"), want.readFloats("alt_logits_text_padding_masked"), 1e-4, 0));
        }
    }
}
