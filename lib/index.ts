// The single entry point the notebooks import: `import { ... } from "cnn-course"`.
// Each module below holds one concept; see README.md for the map.
export * from "./config";
export * from "./grading";
export * from "./display";
export * from "./plots";
export * from "./random";
export * from "./convolution";
export * from "./engine";
export * from "./progress";
export * from "./data/xray-files";
export * from "./data/load-images";
export * from "./data/split";
export * from "./data/xray-grid";
export * from "./activation";
export * from "./connectivity";
export * from "./detection";
export * from "./lecture-images";
export * from "./lecture-figures";
export * from "./grading/fallback";
export * from "./model";
export * from "./training";
export * from "./data/tfrecord";
export * from "./data/xray-download";
export * from "./pooling";
export * from "./dropout";
export * from "./data/mnist";
export * from "./experiments";
