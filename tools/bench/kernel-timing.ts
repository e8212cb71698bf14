// Per-kernel wall-clock timing for a synchronous backend (wasm, cpu): every registered kernel
// is wrapped while a measurement runs. Unlike tf.profile, time spent in kernels that our
// composed kernels call is attributed once (exclusive time), so the table adds up to the step.
import * as tf from "@tensorflow/tfjs";

export interface KernelTime {
  kernel: string;
  calls: number;
  /** Wall time inside this kernel minus time in the kernels it called. */
  exclusiveMs: number;
  /** The same in CPU time of this process (robust when other processes compete for the cores). */
  exclusiveCpuMs: number;
}

/** "Conv2D [13,180,180,16] [3,3,16,16]": a kernel and its inputs' shapes (for `byShape`). */
function kernelKey(name: string, args: Parameters<tf.KernelFunc>[0], byShape: boolean): string {
  if (!byShape) return name;
  const shapes = Object.values(args.inputs).map((t) => `[${(t as tf.TensorInfo | undefined)?.shape?.join(",") ?? ""}]`);
  return `${name} ${shapes.join(" ")}`;
}

/**
 * Runs `fn` with every kernel of `backendName` timed; returns fn's result and the table, slowest
 * first. `byShape`: one row per kernel and input shapes (which convolution, which product).
 */
export async function timeKernels<T>(backendName: string, fn: () => Promise<T> | T, byShape = false): Promise<{ result: T; kernels: KernelTime[] }> {
  const originals = tf.getKernelsForBackend(backendName);
  const table = new Map<string, KernelTime>();
  const childMs: number[] = []; // stack: wall time spent in callees of each active kernel
  const childCpu: number[] = [];
  const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  for (const config of originals) {
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, backendName);
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        childMs.push(0);
        childCpu.push(0);
        const start = performance.now();
        const startCpu = cpuMs();
        try {
          return inner(args);
        } finally {
          const total = performance.now() - start;
          const totalCpu = cpuMs() - startCpu;
          const children = childMs.pop() ?? 0;
          const childrenCpu = childCpu.pop() ?? 0;
          if (childMs.length > 0) {
            childMs[childMs.length - 1] += total;
            childCpu[childCpu.length - 1] += totalCpu;
          }
          const key = kernelKey(config.kernelName, args, byShape);
          const row = table.get(key) ?? { kernel: key, calls: 0, exclusiveMs: 0, exclusiveCpuMs: 0 };
          row.calls += 1;
          row.exclusiveMs += total - children;
          row.exclusiveCpuMs += totalCpu - childrenCpu;
          table.set(key, row);
        }
      },
    });
  }
  try {
    const result = await fn();
    return { result, kernels: [...table.values()].sort((a, b) => b.exclusiveCpuMs - a.exclusiveCpuMs) };
  } finally {
    for (const config of originals) {
      tf.unregisterKernel(config.kernelName, backendName);
      tf.registerKernel(config);
    }
  }
}
