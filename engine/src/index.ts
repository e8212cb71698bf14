// cnn-course-engine: pick and prepare the fastest TensorFlow.js backend available, the course's
// own kernels for wasm, and a training stepper that runs a model's steps on N threads.
export { initEngine, engineInfo } from "./init";
export type { EngineBackend, EngineInfo, EngineKernels, EngineOptions } from "./init";
export { setRelaxedSimd, setWinograd, winogradCalls, winogradFlavor } from "./winograd";
export { directMatMul } from "./matmul-kernel";
export { coreCount, planThreads, probeWorkers, threadsFromEnv } from "./threads";
export type { ThreadPlan } from "./threads";
export { fusedAdamStep } from "./fused-adam";
export { deriveSeed, seededRandom, withSeededMathRandom } from "./seeding";
export type { Rng } from "./seeding";
export { startModuleWorker, workerBootstrap } from "./workers";
export { createTrainStepper } from "./parallel/trainer";
export type { StepperOptions, StepPhases, StepResult, TrainStepper } from "./parallel/trainer";
export { batchTensors, resolveLoss, sliceGradients, sliceSizes } from "./parallel/replica-step";
export type { Batch, LossFn, LossSpec, SliceGradients } from "./parallel/replica-step";
export type { ReplicaMode } from "./parallel/replica-mode";
export { TFJS_VERSION, installedTfjsVersions, tslabWriteDisplayData, wasmHeapBytes, watchKernelRuns } from "./internals";
