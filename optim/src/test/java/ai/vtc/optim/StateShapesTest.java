package ai.vtc.optim;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Optimizer state from another model (other names or shapes) is refused before it is loaded, naming each entry. */
class StateShapesTest {

    @Test
    void stateOfTheSameParametersIsAccepted() {
        try (NDManager manager = NDManager.newBaseManager();
                Optimizer soap = new Soap(manager, SoapConfig.defaults())) {
            Map<String, NDArray> params = params(manager, new Shape(6, 4));
            soap.step(params, Map.of("fc1.weight", manager.ones(new Shape(6, 4))));
            soap.step(params, Map.of("fc1.weight", manager.ones(new Shape(6, 4))));
            assertDoesNotThrow(() -> StateShapes.requireMatches(soap.state(), params));
        }
    }

    @Test
    void momentsOfAnotherShapeOrParameterAreRefused() {
        try (NDManager manager = NDManager.newBaseManager();
                Optimizer adamw = new AdamW(manager, AdamWConfig.defaults())) {
            Map<String, NDArray> saved = params(manager, new Shape(6, 4));
            adamw.step(saved, Map.of("fc1.weight", manager.ones(new Shape(6, 4))));
            Map<String, NDArray> state = new LinkedHashMap<>(adamw.state());
            state.put("adamw.exp_avg.gone.weight", manager.zeros(new Shape(2)));

            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> StateShapes.requireMatches(state, params(manager, new Shape(8, 4))));
            assertTrue(
                    e.getMessage().contains("adamw.exp_avg.fc1.weight: (6, 4) but the parameter is (8, 4)"),
                    e::getMessage);
            assertTrue(e.getMessage().contains("adamw.exp_avg_sq.fc1.weight"), e::getMessage);
            assertTrue(e.getMessage().contains("the model has no trainable parameter gone.weight"), e::getMessage);
        }
    }

    private static Map<String, NDArray> params(NDManager manager, Shape shape) {
        Map<String, NDArray> params = new LinkedHashMap<>();
        params.put("fc1.weight", manager.ones(shape));
        return params;
    }
}
