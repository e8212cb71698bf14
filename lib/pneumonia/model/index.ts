export * from "./blocks";
export * from "./build";
export * from "./summary";
export { deriveSeed, withSeededMathRandom } from "cnn-course-engine";
export * from "./keras-init";
