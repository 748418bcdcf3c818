package ai.vtc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vtc.vqa.synth.QuestionFamily;
import ai.vtc.vqa.synth.SyntheticVqa;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoInputsTest {
    @Test
    void subsetNamesGiveTheirSizes() {
        assertEquals("100%", DemoInputs.subsetSize("all"));
        assertEquals("10%", DemoInputs.subsetSize("10pct"));
        assertEquals("500", DemoInputs.subsetSize("n500"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DemoInputs.subsetSize("half"));
        assertTrue(e.getMessage().contains("'half'"), e.getMessage());
    }

    @Test
    void theDatasetRequestCarriesEveryGeneratorSetting() {
        SyntheticVqa.Options data = SyntheticVqa.Options.defaults()
                .withSeed(7)
                .withImages(1000, 250)
                .withQuestionsPerImage(2)
                .withImageSize(64)
                .withFamilies(EnumSet.of(QuestionFamily.SHAPE, QuestionFamily.COLOR))
                .withVocabulary(3, 3, 4)
                .withAnnotatorNoise(0.3);
        Map<String, Object> request = DemoInputs.syntheticRequest("synth-demo", data);
        assertEquals("synth-demo", request.get("name"));
        assertEquals(7L, request.get("seed"));
        assertEquals(1000, request.get("train_images"));
        assertEquals(250, request.get("val_images"));
        assertEquals(2, request.get("questions_per_image"));
        assertEquals(64, request.get("image_size"));
        assertEquals(List.of("COLOR", "SHAPE"), request.get("families"));
        assertEquals(3, request.get("max_objects"));
        assertEquals(3, request.get("shapes"));
        assertEquals(4, request.get("colours"));
        assertEquals(0.3, request.get("annotator_noise"));
        assertEquals("png", request.get("image_format"));
    }

    @Test
    void anImpossibleDatasetSettingIsRefusedWithItsOptionBeforeAnythingStarts(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = SweepCli.commandLine();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int exit = cli.execute("demo", "--max-objects", "12", "--stack-dir", dir.toString(), "--file", example());
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("--max-objects: maxObjects must be in 1..9"), err.toString());
    }

    private static String example() {
        Path file = Path.of("../examples/demo-sweep.yaml");
        assertTrue(Files.isRegularFile(file), "run from the sweep-cli module folder");
        return file.toString();
    }

    @Test
    void theRecipeStoredWithAPretrainedModelNamesItsDataAndPhases() {
        SyntheticVqa.Options data = SyntheticVqa.Options.defaults().withSeed(5);
        String recipe = new DemoInputs.PretrainSettings(List.of(" 300 --lr 5e-4", "400"), data).describe();
        assertEquals(
                "pretraining set: synthetic seed=5: 400 train + 100 val images, 5 questions each, 128 px png, families"
                        + " [EXISTS, COMPARE, VERIFY, COUNT, COLOR, SHAPE, BACKGROUND, REGION], up to 5 objects of 4"
                        + " shapes and 6 colours, annotator noise 1.0\nphase 1: 300 --lr 5e-4\nphase 2: 400\n",
                recipe);
        String otherFamilies = new DemoInputs.PretrainSettings(
                        List.of("300 --lr 5e-4", "400"), data.withFamilies(EnumSet.of(QuestionFamily.REGION)))
                .describe();
        assertNotEquals(recipe, otherFamilies);
        assertTrue(DemoInputs.fingerprint(data.describe()).matches("[0-9a-f]{12}"));
        assertNotEquals(
                DemoInputs.fingerprint(data.describe()),
                DemoInputs.fingerprint(data.withSeed(6).describe()));
    }

    @Test
    void aStackThatDoesNotRunIsNamedWithTheCommandThatStartsIt(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DemoStack.load(dir));
        assertTrue(e.getMessage().contains("./sweep up"), e.getMessage());
    }
}
