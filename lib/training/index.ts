export * from "./batches";
export * from "./checkpoint";
export * from "./evaluate";
export * from "./fit";
export * from "./loss";
export * from "./metrics";
export * from "./schedule";
