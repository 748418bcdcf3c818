package ai.vtc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Set;
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
    void theDatasetSettingsReachTheServiceRequestAndTheGenerator() {
        DemoInputs.DataSettings data = new DemoInputs.DataSettings(
                1000, 250, 2, 64, 7, EnumSet.of(QuestionFamily.SHAPE, QuestionFamily.COLOR), 3, 3, 4, 0.3);
        Map<String, Object> request = data.request("synth-demo");
        assertEquals("synth-demo", request.get("name"));
        assertEquals(List.of("COLOR", "SHAPE"), request.get("families"));
        assertEquals(3, request.get("max_objects"));
        assertEquals(3, request.get("shapes"));
        assertEquals(4, request.get("colours"));
        assertEquals(0.3, request.get("annotator_noise"));
        assertEquals(250, request.get("val_images"));

        SyntheticVqa.Options pretraining =
                data.withSeed(1007).withTrainImages(8000).options();
        assertEquals(1007, pretraining.seed());
        assertEquals(8000, pretraining.trainImages());
        assertEquals(250, pretraining.valImages());
        assertEquals(2, pretraining.questionsPerImage());
        assertEquals(Set.of(QuestionFamily.SHAPE, QuestionFamily.COLOR), pretraining.families());
        assertEquals(3, pretraining.maxObjects());
        assertEquals(4, pretraining.colours());
        assertEquals(0.3, pretraining.annotatorNoise());
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
    void aStackThatDoesNotRunIsNamedWithTheCommandThatStartsIt(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DemoStack.load(dir));
        assertTrue(e.getMessage().contains("./sweep up"), e.getMessage());
    }
}
