// The Keras example's first look at the data: a 5x5 grid of X-rays titled with their class.
import { Figure, imageGrid } from "../../view/plots";
import { ImageBatch, imageAt, labelNameAt } from "./load-images";

export interface XrayGridOptions {
  /** How many images (default 25, the example's 5x5). */
  count?: number;
  /** Images per row (default 5). */
  columns?: number;
  /** First image of the batch to show (default 0). */
  start?: number;
  title?: string;
  cellSize?: number;
}

/** A grid figure of the first `count` images of a batch from `start`, titled NORMAL or PNEUMONIA. */
export function xrayGrid(batch: ImageBatch, opts: XrayGridOptions = {}): Figure {
  const start = opts.start ?? 0;
  const count = Math.min(opts.count ?? 25, batch.count - start);
  if (count < 1) throw new Error(`xrayGrid: o lote tem ${batch.count} imagens; não há nenhuma a partir da posição ${start}`);
  const indices = Array.from({ length: count }, (_, i) => start + i);
  return imageGrid(indices.map((i) => imageAt(batch, i)), {
    titles: indices.map((i) => labelNameAt(batch, i)),
    columns: opts.columns ?? 5,
    title: opts.title,
    cellSize: opts.cellSize ?? 150,
    range: [0, 255],
  });
}
