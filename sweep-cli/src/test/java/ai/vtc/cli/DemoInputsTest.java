package ai.vtc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void aStackThatDoesNotRunIsNamedWithTheCommandThatStartsIt(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DemoStack.load(dir));
        assertTrue(e.getMessage().contains("./sweep up"), e.getMessage());
    }
}
