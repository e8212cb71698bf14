// The single entry point the notebooks import: `import { ... } from "cnn-course"`.
// Grouped by lesson; docs/architecture.md draws the whole tree. It exports what the notebooks
// (and the cells the grader injects) import, nothing more: tests and tools import the modules.
// `npx tsx scripts/barrel-usage.ts --list` says who imports what; test/tools/barrel.test.ts fails
// on an export no notebook uses and on a notebook import the barrel lacks.

// Shared: project paths and data-directory setting, seeded random numbers.
export { cacheDir } from "./common/config";
export { seededRandom, shuffled } from "./common/random";
// Self-checks in the student's notebook: check(), todo(), fallbacks to the reference.
export { check, evaluate, registerExercises, runCasesForGrader, todo } from "./check";
export { studentOrReference } from "./check/fallback";
// What the student sees: display, progress bars, plots.
export { createProgress } from "./view/progress";
export { barChart, heatmap, historyChart, imageGrid, lineChart, liveChart, show } from "./view/plots";
export { confusionMatrixChart } from "./view/confusion";
export { formatBR, formatMatrixBR, formatPercentBR, formatScientificBR } from "./common/format";
// The training engine (the cnn-course-engine package, engine/): backend choice, the course's kernels.
export { initEngine } from "cnn-course-engine";
// Its result's type, so a cell's `const engine = await initEngine()` can be named from "cnn-course" (tslab emits declarations).
export type { EngineInfo } from "cnn-course-engine";
// Lessons 01-07, from scratch: connectivity and parameter counts, convolution and filters,
// activation, pooling, 3D filters, dropout, detection and the lecture's pictures.
export {
  connectionDiagram, convLayer, randomDenseLayer, shiftMismatch, shiftScores, timeForward
} from "./lecture/connectivity";
export type { ForwardTiming } from "./lecture/connectivity";
export { denseParams } from "./lecture/parameters";
export { channelOf, conv2d, outputSize, windowAt } from "./lecture/convolution";
export { relu } from "./lecture/activation";
export { featureMap } from "./lecture/detection";
export { describePoolingWindows, pool2dChannels } from "./lecture/pooling";
export { BODY_FILTER, HEAD_AND_BODY_IMAGE, HEAD_FILTER, rgbImage } from "./lecture/head-and-body";
export { dropoutInference, dropoutMasks, meanTrainingOutput, zeroFraction } from "./lecture/dropout";
export {
  CIRCLE_FILTER, DIAGONAL_FILTER, EYE, EYE_FILTER, LECTURE_FILTERS, NINE, OTHER_NINE_FILTERS,
  SLIDE_PRINTED_MAP, VERTICAL_LINE_FILTER, blankImage, drawPattern, eyeScene, rotateImage,
  scaleImage, shiftImage
} from "./lecture/images";
export { IMAGE_COLORS, MAP_COLORS, convolutionStepsFigure, panels } from "./lecture/figures";
export { cnnDiagram, modelStages, typicalCnnStages } from "./lecture/cnn-diagram";
// Lesson 08, the layers the pneumonia model relies on: BatchNormalization, the Conv2D layer,
// the receptive field, filters learned by gradient descent.
export { columnMoments, positionsAsRows, rowsAsPositions } from "./lecture/batchnorm";
export { pneumoniaGeometry } from "./lecture/receptive-field";
export { FILTER_LEARNING_DEFAULTS, learnFilter } from "./lecture/learn-filter";
// Lesson 11, backpropagation by hand: the backward passes from scratch, the numeric gradient
// check, and the teaching cells that check the student's passes against it and tf.grad.
export {
  checkBatchNormBackward, checkConvBackward, checkDropoutBackward, checkMaxPoolBackward,
  gradientTable, maxPoolTieGradient, scientific
} from "./lecture/gradient-checks";
// Lessons 05-07 on real digits: MNIST, the digit CNN and its experiments.
export { digitImage, loadMnist, mnistSplit } from "./digits/mnist";
export {
  BATCHNORM_COMPARISON_DEFAULTS, DROPOUT_COMPARISON_DEFAULTS, PARAMETER_COMPARISON_DEFAULTS,
  VERTICAL_EDGE_FILTER, buildDigitCnn, compareBatchNorm, compareDropout, compareParameters,
  featureMaps, historyRecord, learnedFilters, measureShiftRobustness, movingAverage, predictDigits,
  scaleToPeak, trainDigitCnn
} from "./digits";
// Lesson 09, the Keras pneumonia example: X-ray data, the model, training.
export { XRAY_CLASS_NAMES, listXrayFiles } from "./pneumonia/data/xray-files";
export { imageAt } from "./pneumonia/data/load-images";
export { describeXrayCopy, initialBias, sharedPatients, splitTrainVal, splitTrainValBy } from "./pneumonia/data/split";
export { xrayGrid } from "./pneumonia/data/xray-grid";
export { showXraySampleNotice } from "./pneumonia/data/sample-notice";
export { buildModel, formatSummary } from "./pneumonia/model";
export type { SymbolicTensor } from "./pneumonia/model";
export {
  KERAS_EXAMPLE_SCHEDULE, KERAS_PUBLISHED, applyPresetLimit, balancedSubset, compareBatchNormStatistics,
  confusionMatrix, evaluateModel, exponentialDecay, formatPrediction, initialLoss, kerasHistory,
  loadXrayData, overfitTinySubset, predictImageAt, presetFromEnv, showClassroomSeeds,
  showFullRunResults, showHistory, showMetrics, showVariants, trainModel, trainOptionsFor
} from "./pneumonia/training";
// Lesson 10, after the pneumonia example: feature maps, Grad-CAM, saliency, shortcuts,
// ROC/PR and the threshold, calibration.
export {
  chestRegions, confusionPairFigure, explanationGrid, featureMapFigure, featureMapLayers,
  formatHeatSummaries, formatMaskedTests, gradCam, gradientsAt, lastConvLayer, loadOrTrainModel,
  maskedTests, metricsAt, outcomeExamples, prCurve, predictScores, regionsImage, reliability,
  reliabilityFigure, rocCurve, rocPrFigure, saliencyMaps, showHeatSummaries, showMaskedTests,
  summarizeHeat, xrayFeatureMaps, xrayImage
} from "./pneumonia/explain";
export type { Scores } from "./pneumonia/explain";
