// What data-parallel replicas share within a training step.
//   "sync" (default): BatchNorm normalizes with the whole batch's statistics (sync-batchnorm.ts)
//     and dropout draws the whole batch's masks, each replica keeping its rows
//     (sync-dropout.ts). A step on R threads computes what one thread computes on the whole
//     batch, up to float rounding: results do not depend on the number of cores.
//   "replica": each replica normalizes its own slice and draws its own masks, as Keras does on
//     8 TPU replicas (batch 25 per replica there). Results depend on the number of threads.
export type ReplicaMode = "sync" | "replica";
