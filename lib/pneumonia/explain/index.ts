// Notebook 10: what the trained pneumonia model looks at, and where to put its threshold.
export * from "./model-parts";
export * from "./trained-model";
export * from "./feature-maps";
export * from "./gradcam";
export * from "./saliency";
export * from "./shortcuts";
export * from "./scores";
export * from "./masking";
export * from "./threshold";
export * from "./calibration";
export * from "./charts";
