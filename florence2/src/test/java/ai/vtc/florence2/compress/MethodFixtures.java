package ai.vtc.florence2.compress;

import ai.vtc.florence2.io.SafeTensorsFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A case of the compression-method fixtures ({@code fixtures/florence2-compression-methods/<case>}: Microsoft's code
 * with a method of docs/architecture.md, "Methods", attached to tiny-a): its {@code case.json} and tensors.
 */
record MethodFixtures(String name, JsonNode spec, Path dir) {

    static final String MODEL = "tiny-a";

    /** The cases of a method applied at an encoder stage (every case but a8, downsample). */
    static List<String> gridCases() {
        return List.of(
                "a1-pool2d-k2-K0",
                "a2-pool2d-k3-K3",
                "a3-attn_prune-r5-K1",
                "a4-attn_prune-r9-K3",
                "a5-divprune-r6-K0",
                "a6-divprune-r4-K2",
                "a7-dominant_merge-r7-d5-K1",
                "a9-attn_prune-r8-K2-batch");
    }

    static MethodFixtures load(String name) {
        try {
            Path dir = Path.of(Objects.requireNonNull(
                                    MethodFixtures.class.getResource(
                                            "/fixtures/florence2-compression-methods/" + name + "/case.json"),
                                    name)
                            .toURI())
                    .getParent();
            return new MethodFixtures(
                    name, new ObjectMapper().readTree(dir.resolve("case.json").toFile()), dir);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read fixture case " + name, e);
        }
    }

    SafeTensorsFile tensors() {
        return SafeTensorsFile.open(dir.resolve("expected.safetensors"));
    }

    int stage() {
        return spec.get("stage").asInt();
    }

    int gridSide() {
        return spec.get("grid_hw").get(0).asInt();
    }

    /** The case's method with its parameters. */
    GridMethod method() {
        JsonNode p = spec.get("parameters");
        String method = spec.get("method").asText();
        return switch (method) {
            case Pool2d.ID -> new Pool2d(p.get("factor").asInt());
            case AttnPrune.ID -> new AttnPrune(p.get("keep").asInt());
            case DivPrune.ID -> new DivPrune(p.get("keep").asInt());
            case DominantMerge.ID ->
                new DominantMerge(p.get("keep").asInt(), p.get("dominant").asInt());
            default -> throw new IllegalArgumentException("no grid method for fixture method " + method);
        };
    }
}
