// The single entry point the notebooks import: `import { ... } from "cnn-course"`.
// Grouped by lesson; docs/architecture.md draws the whole tree. Only code that runs in
// the kernel lives here: the instructor's tools (grader, runner, download) are in tools/.

// Shared: project paths and data-directory setting, seeded random numbers.
export * from "./common/config";
export * from "./common/random";
// Self-checks in the student's notebook: check(), todo(), fallbacks to the reference.
export * from "./check";
export * from "./check/fallback";
// What the student sees: display, progress bars, plots.
export * from "./view/display";
export * from "./view/progress";
export * from "./view/plots";
// The training engine (01 onwards): backend choice and the course's kernels.
export { initEngine, engineInfo } from "cnn-course-engine";
export type { EngineBackend, EngineInfo, EngineOptions } from "cnn-course-engine";
// Lessons 01-07, from scratch: connectivity and parameter counts, convolution and filters,
// activation, pooling, 3D filters, dropout, detection and the lecture's pictures.
export * from "./lecture/connectivity";
export { denseParams, convParams, denseParamsAfterPooling, cnnParams } from "./lecture/parameters";
export * from "./lecture/convolution";
export * from "./lecture/activation";
export * from "./lecture/detection";
export * from "./lecture/pooling";
export * from "./lecture/head-and-body";
export * from "./lecture/dropout";
export * from "./lecture/images";
export * from "./lecture/figures";
export * from "./lecture/cnn-diagram";
// Lesson 08, the layers the pneumonia model relies on: BatchNormalization, the Conv2D layer,
// the receptive field, filters learned by gradient descent.
export * from "./lecture/batchnorm";
export * from "./lecture/conv-layer";
export * from "./lecture/receptive-field";
export * from "./lecture/learn-filter";
// Lessons 05-07 on real digits: MNIST, the digit CNN and its experiments.
export * from "./digits/mnist";
export * from "./digits";
// Lesson 09, the Keras pneumonia example: X-ray data, the model, training.
export * from "./pneumonia/data/xray-files";
export * from "./pneumonia/data/load-images";
export * from "./pneumonia/data/split";
export * from "./pneumonia/data/xray-grid";
export * from "./pneumonia/data/sample-notice";
export * from "./pneumonia/model";
export * from "./pneumonia/training";
// Lesson 10, after the pneumonia example: feature maps, Grad-CAM, saliency, shortcuts,
// ROC/PR and the threshold, calibration.
export * from "./pneumonia/explain";
