package ai.vtc.florence2.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.EnumMap;
import java.util.Map;

/**
 * Tensor casts that autograd follows and that know bfloat16. DJL 0.36's {@link NDArray#toType} runs libtorch's {@code
 * to} under a no-grad guard (the cast would cut the graph, so no gradient would reach a weight) and maps no DJL type to
 * bfloat16 (libtorch aborts the process). Each cast here is a one-line TorchScript module ({@code x.to(dtype)}, made
 * by {@code florence2/torchscript/make_casts.py}, shipped as {@code cast-<precision>.pt}) run through DJL's module
 * call with gradients recorded whenever DJL records them. DJL reports a bfloat16 result's type as {@code UNKNOWN}; that
 * is fine, since such arrays only live between two casts inside {@link Autocast}.
 *
 * <p>DJL's public module calls either record no gradients ({@code IValueUtils.runMethod}) or turn a named array (every
 * weight has its checkpoint name) into a dictionary input ({@code IValueUtils.forward}), so the call goes to the
 * engine's own {@code moduleRunMethod} (package-private in DJL 0.36, reached by reflection once) with the gradient
 * mode DJL is in.
 */
final class TorchCasts {

    private static final Map<Precision, PtSymbolBlock> MODULES = new EnumMap<>(Precision.class);
    private static final Object LIB;
    private static final Method RUN_METHOD;
    private static final Constructor<IValue> IVALUE;

    static {
        try {
            Class<?> library = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
            Field lib = library.getDeclaredField("LIB");
            lib.setAccessible(true);
            LIB = lib.get(null);
            RUN_METHOD = library.getDeclaredMethod(
                    "moduleRunMethod", long.class, String.class, long[].class, boolean.class, boolean.class);
            RUN_METHOD.setAccessible(true);
            IVALUE = IValue.class.getDeclaredConstructor(long.class);
            IVALUE.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("DJL's PyTorch engine changed its module call: " + e);
        }
    }

    /** Owns the modules for the life of the process (they hold no tensors: a few kB each). */
    private static NDManager owner;

    private TorchCasts() {}

    /** x cast to the precision's type (a new array in x's manager, on x's device). */
    static NDArray to(Precision precision, NDArray x) {
        PtNDArray array = (PtNDArray) x;
        try (IValue in = IValue.from(array);
                IValue out = IVALUE.newInstance((long) RUN_METHOD.invoke(
                        LIB,
                        module(precision).getHandle(),
                        "forward",
                        new long[] {in.getHandle()},
                        JniUtils.isGradMode(),
                        false))) {
            return out.toTensor(array.getManager());
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call DJL's module method", e);
        }
    }

    private static synchronized PtSymbolBlock module(Precision precision) {
        PtSymbolBlock module = MODULES.get(precision);
        if (module != null) {
            return module;
        }
        if (owner == null) {
            owner = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        }
        String resource = "cast-" + precision.id() + ".pt";
        try (InputStream in = TorchCasts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the florence2 jar");
            }
            module = JniUtils.loadModule((PtNDManager) owner, in, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + resource, e);
        }
        MODULES.put(precision, module);
        return module;
    }
}
