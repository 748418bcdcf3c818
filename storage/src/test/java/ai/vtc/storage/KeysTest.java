package ai.vtc.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeysTest {
    @Test
    void layoutFollowsTheDesign() {
        assertEquals("datasets/synth/val/questions.json", Keys.questions("synth", "val"));
        assertEquals("datasets/synth/subsets/10pct.json", Keys.subset("synth", "10pct"));
        assertEquals("checkpoints/0123456789abcdef/step-50/", Keys.checkpoint("0123456789abcdef", 50));
        assertEquals("predictions/t1/_DONE", Keys.done("t1"));
        assertEquals("models/tiny-florence2/", Keys.model("tiny-florence2"));
        assertEquals("models/tiny-florence2/manifest.json", Keys.modelManifest("tiny-florence2"));
        assertEquals("models/tiny-florence2/config.json", Keys.modelFile("tiny-florence2", "config.json"));
        assertThrows(StorageException.class, () -> Keys.modelFile("tiny-florence2", "../config.json"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../etc", "a/b", "/abs", "", "x\u0000y", ".hidden", "a b"})
    void unsafeNamesAreRefusedWithTheirRole(String name) {
        StorageException e = assertThrows(StorageException.class, () -> Keys.dataset(name));
        assertTrue(e.getMessage().startsWith("dataset '"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/../b", "/a", "a//b", "a/./b", "a\\b", "a/"})
    void unsafeKeysAreRefused(String key) {
        assertThrows(StorageException.class, () -> Keys.check(key));
    }
}
