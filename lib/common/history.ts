// The one history shape of the course's trainings (the digit CNN and dropout comparison in
// lib/digits/, the X-ray model in lib/pneumonia/training/): one record per epoch with at least
// its number and the training and validation losses, and the conversion to Keras'
// `history.history` ({loss: [...], val_loss: [...], ...}) that historyChart draws.
//
// The two training loops stay apart on purpose: the digits train a softmax over 10 classes with
// model.fit and then measure train AND validation in inference mode (dropout off), which is the
// point of lesson 07's train/validation gap; the X-rays run Keras' example loop (one sigmoid,
// class-weighted loss, running training metrics, schedule, checkpoints, early stopping, resume).

/** One epoch of any of the course's trainings (1-based epoch, as Keras prints it). */
export interface EpochRecord {
  epoch: number;
  loss: number;
  valLoss: number;
}

/** Keras' `history.history`: one array per metric name, one value per epoch. */
export type KerasHistory = Record<string, number[]>;

/** Per-epoch records as Keras' history; `names` maps each Keras metric name to the record's field. */
export function toKerasHistory<T extends EpochRecord>(epochs: readonly T[], names: Record<string, keyof T>): KerasHistory {
  const history: KerasHistory = {};
  for (const [name, field] of Object.entries(names)) history[name] = epochs.map((e) => Number(e[field]));
  return history;
}
