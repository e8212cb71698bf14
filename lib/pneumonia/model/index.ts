export * from "./blocks";
export * from "./build";
export * from "./summary";
export * from "./seeding";
export * from "./keras-init";
