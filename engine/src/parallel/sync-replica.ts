// One replica's part in "sync" mode (replica-mode.ts): whole-batch BatchNorm through the shared
// gather, whole-batch dropout masks. Installed on the replica's model once; told before every
// step which slice of the batch it holds.
import * as tf from "@tensorflow/tfjs";
import { SharedGather } from "./shared-gather";
import { SyncBatchNorm } from "./sync-batchnorm";
import { SyncDropout } from "./sync-dropout";

export class SyncReplica {
  private readonly batchNorm: SyncBatchNorm;
  private readonly dropout = new SyncDropout();

  constructor(readonly gather: SharedGather) {
    this.batchNorm = new SyncBatchNorm(gather);
  }

  install(model: tf.LayersModel): this {
    this.batchNorm.install(model);
    this.dropout.install(model);
    return this;
  }

  /** Restores the model's own BatchNorm and Dropout (after training: later steps may run on one thread). */
  uninstall(): void {
    this.batchNorm.uninstall();
    this.dropout.uninstall();
  }

  /** `sizes`: every participant's slice, replica order; this replica is `gather.replica`. */
  setStep(sizes: readonly number[]): void {
    const total = sizes.reduce((a, b) => a + b, 0);
    this.batchNorm.setShares(sizes.map((k) => k / total));
    this.dropout.setRows(sizes.slice(0, this.gather.replica).reduce((a, b) => a + b, 0), total);
  }
}
