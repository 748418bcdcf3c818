package ai.vtc.florence2.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vtc.contracts.CompressionMethod;
import ai.vtc.florence2.compress.CompressionMode;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The sweep's table of methods (contracts' {@link CompressionMethod}) and the model library's ({@link CompressionMode})
 * are kept apart on purpose - the model library depends on DJL alone - so this module, which sees both, checks that
 * they name the same methods, with the same parameters, and agree on which read attention.
 */
class CompressionTablesTest {
    @Test
    void theSweepAndTheModelLibraryKnowTheSameMethodsWithTheSameParameters() {
        assertEquals(
                Arrays.stream(CompressionMethod.values())
                        .map(CompressionMethod::id)
                        .toList(),
                Arrays.stream(CompressionMode.values()).map(CompressionMode::id).toList());
        for (CompressionMethod method : CompressionMethod.values()) {
            CompressionMode mode = Arrays.stream(CompressionMode.values())
                    .filter(m -> m.id().equals(method.id()))
                    .findFirst()
                    .orElseThrow();
            Set<String> sweep = Arrays.stream(CompressionMethod.Parameter.values())
                    .filter(method::takes)
                    .map(CompressionMethod.Parameter::key)
                    .collect(Collectors.toSet());
            List<String> library = mode.parameters().stream()
                    .map(CompressionMode.Parameter::key)
                    .toList();
            assertEquals(sweep, Set.copyOf(library), method.id());
            assertEquals(method.needsAttention(), mode.needsAttention(), method.id());
        }
    }
}
