// Small experiments of the lecture notebooks: trainings on real digits and measurements.
export * from "./digit-training";
export * from "./digit-cnn";
export * from "./dropout-comparison";
export * from "./seeded-dropout";
export * from "./shift-robustness";
export * from "./step-training";
export * from "./batchnorm-comparison";
export * from "./parameter-comparison";
