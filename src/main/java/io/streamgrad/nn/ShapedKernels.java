package io.streamgrad.nn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the {@link ShapedKernel} copy for an architecture: the template's own class bytes defined
 * again as a hidden class whose class data is the shape. Copies are cached per architecture (the
 * most recently used {@link #CACHED}); a copy no model uses any more can be unloaded.
 *
 * <p>Set the system property {@code streamgrad.nn.shaped=false} to run every network on the generic
 * loops (for side-by-side measurements).
 */
final class ShapedKernels {
  static final int CACHED = 256;
  private static final boolean ENABLED =
      !"false".equals(System.getProperty("streamgrad.nn.shaped"));
  private static final MethodType CONSTRUCTOR =
      MethodType.methodType(
          void.class,
          double[].class,
          double[][].class,
          double[][][].class,
          double[][].class,
          double[][].class,
          double[][].class,
          double[][].class);
  private static final Map<Architecture, MethodHandle> CONSTRUCTORS =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Architecture, MethodHandle> eldest) {
          return size() > CACHED;
        }
      };
  private static byte[] template;
  private static volatile boolean unavailable;

  private ShapedKernels() {}

  /** True when networks of this architecture get a shaped copy. */
  static boolean supports(Architecture architecture) {
    return ENABLED && architecture.layers().size() <= ShapedKernel.MAX_LAYERS;
  }

  /**
   * A kernel over the given arrays for this architecture (see {@link ShapedKernel}), or null when
   * this JVM cannot define one (no class bytes on the class path, a restricted environment): the
   * network then runs on the generic loops, with the same results, and no later network tries.
   */
  static Kernel create(
      Architecture architecture,
      double[] input,
      double[][] rows,
      double[][][] columns,
      double[][] biases,
      double[][] preActivations,
      double[][] outputs,
      double[][] deltas) {
    if (unavailable) {
      return null;
    }
    try {
      return (Kernel)
          constructor(architecture)
              .invoke(input, rows, columns, biases, preActivations, outputs, deltas);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      unavailable = true;
      return null;
    }
  }

  private static synchronized MethodHandle constructor(Architecture architecture)
      throws ReflectiveOperationException {
    MethodHandle constructor = CONSTRUCTORS.get(architecture);
    if (constructor == null) {
      MethodHandles.Lookup copy =
          MethodHandles.lookup()
              .defineHiddenClassWithClassData(
                  template(), ShapedKernel.classData(architecture), true);
      constructor = copy.findConstructor(copy.lookupClass(), CONSTRUCTOR);
      CONSTRUCTORS.put(architecture, constructor);
    }
    return constructor;
  }

  private static byte[] template() {
    if (template == null) {
      try (InputStream in = ShapedKernel.class.getResourceAsStream("ShapedKernel.class")) {
        if (in == null) {
          throw new IllegalStateException("ShapedKernel.class is not on the class path");
        }
        template = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return template;
  }
}
