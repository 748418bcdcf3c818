package ai.vtc.florence2.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.florence2.io.SafeTensorsFile;
import ai.vtc.florence2.lora.PeftAdapterFolder;
import ai.vtc.florence2.train.TrainData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code florence2 train --lora ... --sample-every} and {@code florence2 merge} on the tiny model. */
class LoraCommandsTest {

    @Test
    void loraTrainingWritesTheAdapterFolderAndMergeReproducesTheTrainedModel(@TempDir Path dir) throws IOException {
        Path model = TrainData.model(dir.resolve("tiny"), 0);
        Path work = dir.resolve("run");
        TrainEvaluateCommandTest.Run train = TrainEvaluateCommandTest.run(
                "train",
                "--model",
                model.toString(),
                "--data",
                TrainData.data().toString(),
                "--batch-size",
                "4",
                "--lr",
                "1e-2",
                "--steps",
                "2",
                "--lora-rank",
                "2",
                "--rslora",
                "--sample-every",
                "2",
                "--out",
                work.toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().contains("step 2, question "), train.out());
        JsonNode config = new ObjectMapper()
                .readTree(work.resolve("adapter/adapter_config.json").toFile());
        assertEquals(2, config.get("r").asInt());
        assertTrue(config.get("use_rslora").asBoolean());
        assertEquals(0.25, config.get("lora_dropout").asDouble());
        assertEquals(model.toString(), config.get("base_model_name_or_path").asText());
        assertEquals(
                4,
                new ObjectMapper()
                        .readTree(work.resolve("samples.json").toFile())
                        .size());

        Path merged = dir.resolve("merged");
        TrainEvaluateCommandTest.Run merge = TrainEvaluateCommandTest.run(
                "merge",
                "--model",
                model.toString(),
                "--adapter",
                work.resolve("adapter").toString(),
                "--out",
                merged.toString());
        assertEquals(0, merge.code(), merge.err());
        assertTrue(merge.out().contains("merged "), merge.out());
        try (SafeTensorsFile a = SafeTensorsFile.open(work.resolve("model/model.safetensors"));
                SafeTensorsFile b = SafeTensorsFile.open(merged.resolve("model.safetensors"))) {
            assertEquals(a.tensors().keySet(), b.tensors().keySet());
            for (String name : a.tensors().keySet()) {
                assertArrayEquals(a.readFloats(name), b.readFloats(name), 1e-6f, name);
            }
        }
        assertTrue(Files.isRegularFile(merged.resolve("tokenizer.json")));
    }

    @Test
    void badLoraInputEndsWithOneLine(@TempDir Path dir) throws IOException {
        Path model = TrainData.model(dir.resolve("tiny"), 0);
        TrainEvaluateCommandTest.Run unknown = TrainEvaluateCommandTest.run(
                "train",
                "--model",
                model.toString(),
                "--data",
                TrainData.data().toString(),
                "--steps",
                "1",
                "--lora-target-modules",
                "query,value",
                "--out",
                dir.resolve("run").toString());
        assertEquals(1, unknown.code(), unknown.err());
        assertTrue(unknown.err().contains("[query, value] match no linear layer"), unknown.err());
        assertTrue(unknown.err().contains("out_proj"), unknown.err());

        Files.createDirectories(dir.resolve("empty"));
        TrainEvaluateCommandTest.Run merge = TrainEvaluateCommandTest.run(
                "merge",
                "--model",
                model.toString(),
                "--adapter",
                dir.resolve("empty").toString(),
                "--out",
                dir.resolve("out").toString());
        assertEquals(1, merge.code());
        assertTrue(merge.err().contains("no " + PeftAdapterFolder.CONFIG), merge.err());
    }
}
