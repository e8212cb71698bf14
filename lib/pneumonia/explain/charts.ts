// The figures of notebook 10: feature maps, heat maps over the X-ray, ROC and
// precision-recall curves, two confusion matrices side by side, the reliability diagram.
import { formatBR } from "../../common/format";
import { colorAt, resolveColorscale } from "../../view/chart/colorscale";
import { BINARY_CLASSES, cellNote, confusionAxes, confusionTrace } from "../../view/confusion";
import { Figure, imageGrid, PixelImage, Trace } from "../../view/plots";
import { Reliability } from "./calibration";
import { channelImage, LayerMaps, strongestChannels } from "./feature-maps";
import { ChestRegions } from "./shortcuts";
import { PrCurve, RocCurve } from "./threshold";

const JET = resolveColorscale("Jet");

/** One image of a packed batch (size x size x 3 bytes) as a PixelImage. */
export function xrayImage(images: Uint8Array, size: number, index: number): PixelImage {
  const px = size * size * 3;
  return { pixels: images.subarray(index * px, (index + 1) * px), width: size, height: size, channels: 3 };
}

/** The X-ray in gray with `heat` (0..1, size x size) blended over it in the Jet colors, more opaque where hotter. */
export function heatOverlay(xray: PixelImage, heat: Float32Array, alpha = 0.6): PixelImage {
  const n = xray.width * xray.height;
  if (heat.length !== n) throw new Error(`heatOverlay: mapa com ${heat.length} valores para uma imagem de ${n} pixels.`);
  const out = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    const gray = xray.pixels[3 * p], h = Math.max(0, Math.min(1, heat[p])), a = alpha * Math.sqrt(h);
    const rgb = colorAt(JET, h);
    for (let c = 0; c < 3; c++) out[3 * p + c] = Math.round((1 - a) * gray + a * rgb[c]);
  }
  return { pixels: out, width: xray.width, height: xray.height, channels: 3 };
}

/** The X-ray with the border band tinted red and the lung box tinted green. */
export function regionsImage(xray: PixelImage, regions: ChestRegions): PixelImage {
  const n = xray.width * xray.height, out = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    const g = xray.pixels[3 * p];
    const tint: [number, number, number] = regions.border[p] ? [230, 40, 40] : regions.lungs[p] ? [40, 200, 60] : [g, g, g];
    const a = regions.border[p] || regions.lungs[p] ? 0.35 : 0;
    for (let c = 0; c < 3; c++) out[3 * p + c] = Math.round((1 - a) * g + a * tint[c]);
  }
  return { pixels: out, width: xray.width, height: xray.height, channels: 3 };
}

/**
 * The maps of image `image` (an index into the LayerMaps' images): one row per layer, its
 * `channels` strongest filters (the same ones for every image), each scaled by that
 * filter's maximum over all the images, so brighter means "more active" across images.
 */
export function featureMapFigure(layers: LayerMaps[], image: number, opts: { channels?: number; title?: string; cellSize?: number } = {}): Figure {
  const count = opts.channels ?? 6;
  const images: number[][][] = [], titles: string[] = [];
  for (const layer of layers) {
    const [h, w] = layer.layer.shape;
    for (const c of strongestChannels(layer, count)) {
      let max = 0;
      for (const v of layer.values) for (let i = c; i < v.length; i += layer.layer.shape[2]) max = Math.max(max, v[i]);
      const m = channelImage(layer.values[image], layer.layer.shape, c);
      images.push(m.map((row) => row.map((v) => (max > 0 ? Math.max(0, v) / max : 0))));
      titles.push(`${layer.layer.label}, f${c} (${h}x${w})`);
    }
  }
  return imageGrid(images, { titles, columns: count, cellSize: opts.cellSize ?? 110, range: [0, 1], title: opts.title });
}

function line(x: number[], y: number[], name: string, extra: Trace = {}): Trace {
  return { type: "scatter", mode: "lines", name, x, y, ...extra };
}

/** ROC (left) and precision-recall (right) of a split, with operating points marked. */
export function rocPrFigure(roc: RocCurve, pr: PrCurve, marks: { name: string; fpr: number; recall: number; precision: number }[] = [], title?: string): Figure {
  const data: Trace[] = [
    line(roc.fpr, roc.tpr, `ROC (AUC ${formatBR(roc.auc, 3)})`, { line: { color: "#1f77b4" } }),
    line([0, 1], [0, 1], "acaso", { line: { color: "#999", dash: "dash" } }),
    line(pr.recall, pr.precision, `precisão-revocação (AP ${formatBR(pr.averagePrecision, 3)})`, { xaxis: "x2", yaxis: "y2", line: { color: "#ff7f0e" } }),
    line([0, 1], [pr.baseline, pr.baseline], `sempre PNEUMONIA (${formatBR(pr.baseline, 2)})`, { xaxis: "x2", yaxis: "y2", line: { color: "#999", dash: "dot" } }),
  ];
  const colors = ["#d62728", "#2ca02c", "#9467bd"];
  marks.forEach((m, i) => {
    const marker = { color: colors[i % colors.length], size: 10 };
    data.push({ type: "scatter", mode: "markers", name: m.name, x: [m.fpr], y: [m.recall], marker });
    data.push({ type: "scatter", mode: "markers", name: m.name, x: [m.recall], y: [m.precision], marker, xaxis: "x2", yaxis: "y2", showlegend: false });
  });
  const unit = { range: [-0.02, 1.02] };
  return {
    data,
    layout: {
      title: title ? { text: title } : undefined, width: 900, height: 430, margin: { l: 60, r: 20, t: title ? 60 : 30, b: 110 },
      xaxis: { domain: [0, 0.44], title: { text: "taxa de falsos positivos (1 − especificidade)" }, ...unit },
      yaxis: { title: { text: "revocação (taxa de verdadeiros positivos)" }, ...unit },
      xaxis2: { domain: [0.56, 1], anchor: "y2", title: { text: "revocação" }, ...unit },
      yaxis2: { anchor: "x2", title: { text: "precisão" }, ...unit },
      legend: { orientation: "h", y: -0.2 }, showlegend: true,
    },
  };
}

/** Confusion matrices [[TN, FP], [FN, TP]] side by side, each with its title, class names and count and share per cell. */
export function confusionPairFigure(items: { title: string; matrix: number[][] }[]): Figure {
  const n = items.length, gap = 0.22, w = (1 - gap * (n - 1)) / n;
  const data: Trace[] = [];
  const plotHeight = 360 - 60 - 90;
  const layout: { [key: string]: unknown } = { width: 380 * n + 60, height: 360, margin: { l: 110, r: 20, t: 60, b: 90 }, annotations: [] };
  items.forEach((item, i) => {
    const k = i === 0 ? "" : String(i + 1), x0 = i * (w + gap);
    data.push(confusionTrace(item.matrix, BINARY_CLASSES, { x: `x${k}`, y: `y${k}` }));
    Object.assign(layout, confusionAxes(`xaxis${k}`, `yaxis${k}`, { domain: [x0, x0 + w], yTitle: i === 0 }));
    (layout.annotations as unknown[]).push({ text: item.title, xref: "paper", yref: "paper", x: x0 + w / 2, y: 1, xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 14 } });
  });
  (layout.annotations as unknown[]).push(cellNote(0.5, plotHeight));
  return { data, layout };
}

/** Reliability diagram: fraction of PNEUMONIA against the mean predicted probability per bin, and the bins' sizes. */
export function reliabilityFigure(rel: Reliability, title?: string): Figure {
  const filled = rel.bins.filter((b) => b.count > 0);
  const centers = rel.bins.map((b) => (b.lo + b.hi) / 2);
  return {
    data: [
      line([0, 1], [0, 1], "calibração perfeita", { line: { color: "#999", dash: "dash" } }),
      { type: "scatter", mode: "lines+markers", name: "modelo", x: filled.map((b) => b.meanPredicted), y: filled.map((b) => b.fractionPositive),
        text: filled.map((b) => `${b.count}`), line: { color: "#d62728" }, marker: { color: "#d62728", size: 8 } },
      { type: "bar", name: "imagens por faixa", x: centers, y: rel.bins.map((b) => b.count), xaxis: "x2", yaxis: "y2", marker: { color: "#7f7f7f" }, width: 0.08 },
    ],
    layout: {
      title: title ? { text: title } : undefined, width: 560, height: 600, margin: { l: 70, r: 20, t: title ? 60 : 30, b: 60 }, showlegend: true,
      legend: { x: 0.02, y: 0.98 },
      xaxis: { domain: [0, 1], anchor: "y", range: [0, 1], title: { text: "" } },
      yaxis: { domain: [0.34, 1], range: [0, 1.02], title: { text: "fração real de PNEUMONIA" } },
      xaxis2: { domain: [0, 1], anchor: "y2", range: [0, 1], title: { text: "probabilidade prevista de PNEUMONIA (média da faixa)" } },
      yaxis2: { domain: [0, 0.24], anchor: "x2", title: { text: "imagens" } },
    },
  };
}

/** One row per example: the X-ray, then each heat map over it (Grad-CAM of some layers, saliency...). */
export function explanationGrid(images: Uint8Array, size: number, examples: { index: number; title: string }[], maps: { name: string; heat: Float32Array[] }[], cellSize = 150): Figure {
  const cells: PixelImage[] = [], titles: string[] = [];
  examples.forEach((e, row) => {
    const xray = xrayImage(images, size, e.index);
    cells.push(xray);
    titles.push(e.title);
    for (const m of maps) {
      cells.push(heatOverlay(xray, m.heat[row]));
      titles.push(m.name);
    }
  });
  return imageGrid(cells, { titles, columns: maps.length + 1, cellSize });
}
