// The training engine: pick and prepare the fastest TensorFlow.js backend available.
export { initEngine, engineInfo } from "./init";
export type { EngineBackend, EngineInfo, EngineOptions } from "./init";
export { registerGradientKernels, WASM_GRADIENT_KERNELS } from "./backprop-kernels";
export { registerHeapKernels } from "./heap-kernels";
export { directMatMul, registerMatMulKernel } from "./matmul-kernel";
export { coreCount, planThreads, probeWorkers, threadsFromEnv } from "./threads";
export type { ThreadPlan } from "./threads";
