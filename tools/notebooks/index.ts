export * from "./format";
export * from "./execute";
export * from "./jupyter";
