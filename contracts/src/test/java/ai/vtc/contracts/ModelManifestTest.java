package ai.vtc.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelManifestTest {
    private static final String A = "a".repeat(64);
    private static final String B = "b".repeat(64);

    private static Map<String, ModelManifest.FileEntry> folder(String weightsSha) {
        Map<String, ModelManifest.FileEntry> files = new LinkedHashMap<>();
        files.put("tokenizer.json", new ModelManifest.FileEntry(A, 10));
        files.put("config.json", new ModelManifest.FileEntry(A, 5));
        files.put("model.safetensors", new ModelManifest.FileEntry(weightsSha, 100));
        return files;
    }

    @Test
    void theHashCoversTheFilesNotTheNameAndSurvivesJson() {
        ModelManifest m = ModelManifest.of("tiny", folder(A));
        assertEquals(64, m.sha256().length());
        assertEquals(List.of(), m.problems());
        assertEquals(m.sha256(), ModelManifest.of("other-name", folder(A)).sha256());
        assertNotEquals(m.sha256(), ModelManifest.of("tiny", folder(B)).sha256(), "one weight changed");
        ModelManifest read = ModelManifest.read(m.toJson(), "manifest.json");
        assertEquals(m, read);
        assertEquals(
                List.of("config.json", "model.safetensors", "tokenizer.json"),
                List.copyOf(read.files().keySet()));
        assertEquals(115, read.bytes());
    }

    @Test
    void anIncompleteFolderOrATamperedHashIsRefused() {
        Map<String, ModelManifest.FileEntry> noTokenizer = folder(A);
        noTokenizer.remove("tokenizer.json");
        assertTrue(ModelManifest.of("m", noTokenizer).problems().contains("the folder has no tokenizer.json"));
        Map<String, ModelManifest.FileEntry> both = folder(A);
        both.put("pytorch_model.bin", new ModelManifest.FileEntry(A, 7));
        assertEquals(
                List.of("the folder needs exactly one weights file, model.safetensors or pytorch_model.bin"),
                ModelManifest.of("m", both).problems());
        Map<String, ModelManifest.FileEntry> extra = folder(A);
        extra.put("README.md", new ModelManifest.FileEntry(A, 7));
        assertTrue(ModelManifest.of("m", extra).problems().get(0).startsWith("'README.md' is not a file"));
        ModelManifest tampered = new ModelManifest(
                "m", folder(B), ModelManifest.of("m", folder(A)).sha256());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ModelManifest.read(tampered.toJson(), "models/m/manifest.json"));
        assertTrue(e.getMessage().startsWith("models/m/manifest.json: sha256 "), e.getMessage());
    }

    @Test
    void theModelsManifestHashIsPartOfTheTrialIdOnlyWhenThereIsOne() {
        SweepSpec spec = SweepSpecs.parse("""
                        name: s
                        model: tiny
                        dataset: {name: synth, subset: all}
                        grid: {mode: [none]}
                        train: none
                        """).spec();
        SweepExpansion.Trial plain = SweepExpansion.expand(spec, "ab12", null).get(0);
        assertEquals(plain, SweepExpansion.expand(spec, "ab12", null, null).get(0), "no manifest: the id it had");
        SweepExpansion.Trial v1 = SweepExpansion.expand(spec, "ab12", null, A).get(0);
        SweepExpansion.Trial v2 = SweepExpansion.expand(spec, "ab12", null, B).get(0);
        assertNotEquals(plain.id(), v1.id());
        assertNotEquals(v1.id(), v2.id(), "changed weights make new trials");
        assertEquals(A, v1.spec().modelManifestSha256());
        assertEquals(v1.id(), TrialIds.of(v1.spec()), "the worker's check of the id against the spec");
        assertEquals(v1.id(), TrialIds.of(Json.read(Json.write(v1.spec()), TrialSpec.class)));
        assertTrue(v1.canonicalJson().contains("\"model_manifest_sha256\":\"" + A + "\""), v1.canonicalJson());
    }
}
