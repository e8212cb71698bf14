// The measured shortcut test: the same test images with a region blanked (black), scored
// again. If accuracy and AUC hold when the border is blanked but collapse when the lungs
// are, the model reads the lungs; if blanking the border moves them a lot, it also reads
// what surrounds the lungs (framing, markers, the hospital's habits).
import * as tf from "@tensorflow/tfjs";
import { formatTable, showTable, Table, TableColumn } from "../../view/table";
import { LabeledImages } from "../training/batches";
import { predictScores } from "./scores";
import { ChestRegions, maskImages, outside } from "./shortcuts";
import { metricsAt, rocCurve, Scores } from "./threshold";

export interface MaskedResult {
  name: string;
  accuracy: number;
  precision: number;
  recall: number;
  auc: number;
  /** Mean P(PNEUMONIA) over the images: where blanking pushes the predictions. */
  meanProbability: number;
}

function summarize(name: string, scores: Scores, threshold: number): MaskedResult {
  const m = metricsAt(scores, threshold);
  const mean = scores.probabilities.reduce((s, p) => s + p, 0) / scores.probabilities.length;
  return { name, accuracy: m.accuracy, precision: m.precision, recall: m.recall, auc: rocCurve(scores).auc, meanProbability: mean };
}

/** Test metrics (at `threshold`) of the original images, border blanked, only the lung box kept, lung box blanked. */
export function maskedTests(model: tf.LayersModel, data: LabeledImages, regions: ChestRegions, threshold = 0.5): MaskedResult[] {
  const conditions: [string, Uint8Array | null][] = [
    ["imagens originais", null],
    ["borda apagada", outside(regions.border)],
    ["só a caixa dos pulmões", regions.lungs],
    ["pulmões apagados (controle)", outside(regions.lungs)],
  ];
  return conditions.map(([name, keep]) => summarize(name, predictScores(model, keep ? maskImages(data, keep) : data), threshold));
}

/** The results as a table: one row per condition, 3 decimals. */
export function maskedTestsTable(rows: MaskedResult[]): Table {
  return {
    caption: "Teste com partes da radiografia apagadas (limiar 0,5)",
    columns: [{ header: "condição", align: "left" },
      ...["acurácia", "precisão", "revocação", "AUC", "P(PNEUMONIA) média"].map((header): TableColumn => ({ header, digits: 3 }))],
    rows: rows.map((r) => [r.name, r.accuracy, r.precision, r.recall, r.auc, r.meanProbability]),
  };
}

/** The results as aligned text (pt-BR numbers). */
export function formatMaskedTests(rows: MaskedResult[]): string {
  return formatTable(maskedTestsTable(rows));
}

/** Shows the results as a table in the notebook (text in a terminal). */
export function showMaskedTests(rows: MaskedResult[]): void {
  showTable(maskedTestsTable(rows));
}
