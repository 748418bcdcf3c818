package ai.vtc.florence2.compress;

import ai.vtc.florence2.io.SafeTensorsFile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A case of the compression-method fixtures ({@code fixtures/florence2-compression-methods/<case>}: Microsoft's code
 * with a method of COMPRESSION-METHODS.md attached to tiny-a): its {@code case.json} and tensors.
 */
record MethodFixtures(String name, JsonNode spec, Path dir) {

    static final String MODEL = "tiny-a";

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
