// Shortcuts: does the model look at the lungs, or at what surrounds them (the border, the
// hospital's text markers, the "R" letter, the cables)? Two measurements:
//   - where the heat of a map (Grad-CAM, saliency) falls: the fraction of its total in a
//     central box that holds the lungs on these X-rays, and in the outer band of the image;
//   - what the model does when part of every test image is blanked (set to black): the
//     border band, everything but the lung box, or the lung box itself (the control).
// The boxes are fractions of the side, read from the mean test X-ray of the Kermany set.
import { formatPercentBR } from "../../common/format";
import { formatTable, showTable, Table, TableCell } from "../../view/table";
import { LabeledImages } from "../training/batches";

export interface ChestRegions {
  size: number;
  /** 1 inside the central box that holds the lungs, else 0 (size x size, row-major). */
  lungs: Uint8Array;
  /** 1 in the outer band of the image, else 0. */
  border: Uint8Array;
  /** The lung box in pixels: rows [top, bottom), columns [left, right). */
  box: { top: number; bottom: number; left: number; right: number };
  /** Width of the border band in pixels. */
  borderWidth: number;
}

export interface RegionFractions {
  /** Outer band, as a fraction of the side (default 0.1). */
  border: number;
  /** Lung box as fractions of the side (default rows 0.15-0.8, columns 0.12-0.88). */
  top: number;
  bottom: number;
  left: number;
  right: number;
}

export const DEFAULT_REGIONS: RegionFractions = { border: 0.1, top: 0.15, bottom: 0.8, left: 0.12, right: 0.88 };

export function chestRegions(size: number, f: RegionFractions = DEFAULT_REGIONS): ChestRegions {
  const px = (v: number): number => Math.round(v * size);
  const box = { top: px(f.top), bottom: px(f.bottom), left: px(f.left), right: px(f.right) };
  const borderWidth = Math.max(1, px(f.border));
  if (box.top < borderWidth || box.left < borderWidth || box.bottom > size - borderWidth || box.right > size - borderWidth) {
    throw new Error("chestRegions: a caixa dos pulmões não pode entrar na faixa da borda.");
  }
  const lungs = new Uint8Array(size * size), border = new Uint8Array(size * size);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      lungs[r * size + c] = r >= box.top && r < box.bottom && c >= box.left && c < box.right ? 1 : 0;
      border[r * size + c] = Math.min(r, c, size - 1 - r, size - 1 - c) < borderWidth ? 1 : 0;
    }
  }
  return { size, lungs, border, box, borderWidth };
}

/** Fraction of the image's area in a region (what a uniform heat map would put there). */
export function areaFraction(region: Uint8Array): number {
  return region.reduce((s, v) => s + v, 0) / region.length;
}

/** Fraction of a heat map's total (non-negative values) that falls inside `region`. */
export function massFraction(heat: ArrayLike<number>, region: Uint8Array): number {
  if (heat.length !== region.length) throw new Error(`massFraction: mapa com ${heat.length} valores para uma região de ${region.length}.`);
  let inside = 0, total = 0;
  for (let i = 0; i < heat.length; i++) {
    inside += region[i] * heat[i];
    total += heat[i];
  }
  return total > 0 ? inside / total : 0;
}

export interface HeatSummary {
  /** Mean over the maps of the fraction in the lung box / the border band. */
  lungs: number;
  border: number;
  /** The same for a uniform map (the regions' areas). */
  lungsArea: number;
  borderArea: number;
  /** Maps that were all zero (no evidence for the class), left out of the means. */
  empty: number;
}

export function summarizeHeat(maps: readonly Float32Array[], regions: ChestRegions): HeatSummary {
  let lungs = 0, border = 0, counted = 0;
  for (const m of maps) {
    if (!m.some((v) => v > 0)) continue;
    lungs += massFraction(m, regions.lungs);
    border += massFraction(m, regions.border);
    counted++;
  }
  return {
    lungs: counted ? lungs / counted : 0, border: counted ? border / counted : 0,
    lungsArea: areaFraction(regions.lungs), borderArea: areaFraction(regions.border), empty: maps.length - counted,
  };
}

/** A copy of `data` where the pixels with keep[p] === 0 are set to `fill` (default black) in every image. */
export function maskImages<T extends LabeledImages>(data: T, keep: Uint8Array, fill = 0): T {
  const px = data.size * data.size;
  if (keep.length !== px) throw new Error(`maskImages: máscara de ${keep.length} pixels para imagens ${data.size}x${data.size}.`);
  const images = data.images.slice();
  for (let i = 0; i < data.count; i++) {
    for (let p = 0; p < px; p++) {
      if (keep[p]) continue;
      const o = 3 * (i * px + p);
      images[o] = images[o + 1] = images[o + 2] = fill;
    }
  }
  return { ...data, images };
}

/** 1 - region: the mask that keeps everything outside `region`. */
export function outside(region: Uint8Array): Uint8Array {
  return region.map((v) => 1 - v);
}

/** Heat summaries as a table (percentages, pt-BR), with the uniform-map baseline as the last row. */
export function heatSummariesTable(rows: { name: string; summary: HeatSummary }[], caption?: string): Table {
  const first = rows[0]?.summary;
  return {
    caption,
    columns: [{ header: "mapa", align: "left" }, { header: "nos pulmões", align: "right" }, { header: "na borda", align: "right" }, "mapas vazios"],
    rows: [
      ...rows.map(({ name, summary }): TableCell[] => [name, formatPercentBR(summary.lungs), formatPercentBR(summary.border), summary.empty]),
      ...(first ? [["(mapa uniforme = a área)", formatPercentBR(first.lungsArea), formatPercentBR(first.borderArea), null]] : []),
    ],
  };
}

/** Heat summaries as aligned text, with the uniform-map baseline. */
export function formatHeatSummaries(rows: { name: string; summary: HeatSummary }[]): string {
  return formatTable(heatSummariesTable(rows));
}

/** Shows the heat summaries as a table in the notebook (text in a terminal). */
export function showHeatSummaries(rows: { name: string; summary: HeatSummary }[], caption?: string): void {
  showTable(heatSummariesTable(rows, caption));
}
