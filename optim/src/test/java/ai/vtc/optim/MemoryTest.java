package ai.vtc.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Optimizer steps leave no arrays behind: every temporary lives in a per-step manager that is closed. */
class MemoryTest {

    @ParameterizedTest
    @ValueSource(strings = {"adamw", "soap"})
    void managedArrayCountStaysConstant(String kind) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("fc.weight", manager.randomNormal(new Shape(8, 5)));
            params.put("fc.bias", manager.randomNormal(new Shape(8)));
            params.put("conv.weight", manager.randomNormal(new Shape(4, 3, 2, 2)));
            params.values().forEach(p -> p.setRequiresGradient(true));
            Optimizer optimizer = kind.equals("adamw")
                    ? new AdamW(manager, AdamWConfig.defaults())
                    : new Soap(manager, SoapConfig.defaults().withPreconditionFrequency(2));
            int afterWarmup = -1;
            for (int step = 0; step < 30; step++) {
                try (NDManager scope = manager.newSubManager()) {
                    Map<String, NDArray> grads = new LinkedHashMap<>();
                    params.forEach((name, p) -> grads.put(name, scope.randomNormal(p.getShape())));
                    Gradients.clipByGlobalNorm(grads, 1.0);
                    optimizer.step(params, grads);
                }
                optimizer.step(params); // the autograd path: gradient handles must not pile up on the parameters
                optimizer.state();
                if (step == 2) {
                    afterWarmup = manager.getManagedArrays().size();
                }
            }
            assertEquals(afterWarmup, manager.getManagedArrays().size());
            optimizer.close();
            assertEquals(params.size(), manager.getManagedArrays().size(), "only the parameters remain");
        }
    }
}
