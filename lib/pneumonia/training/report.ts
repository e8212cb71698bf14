// What notebook 09 shows of a training and an evaluation: tables (HTML, with a text fallback)
// with Portuguese headers, Keras' names beside them, and pt-BR numbers with 3 decimals,
// instead of JavaScript objects ({ binary_accuracy: 0.65, loss: 0.7055836617946625 }).
import { showTable, Table, TableCell, TableColumn } from "../../view/table";
import { EpochLogs } from "./fit";

/** The metrics of one row: loss is optional (a confusion matrix has none). */
export interface MetricsRow { name: string; accuracy: number; precision: number; recall: number; loss?: number }

/** The metrics table: one row per source (the test split, a student's function...). */
export function metricsTable(rows: readonly MetricsRow[], caption?: string): Table {
  const withLoss = rows.some((r) => r.loss !== undefined);
  const metric = (header: string): TableColumn => ({ header, digits: 3 });
  const columns: TableColumn[] = [{ header: "", align: "left" }, metric("acurácia (binary_accuracy)"), metric("precisão (precision)"),
    metric("revocação (recall)"), ...(withLoss ? [metric("perda (loss)")] : [])];
  return {
    caption, columns, digits: 3,
    rows: rows.map((r): TableCell[] => [r.name, r.accuracy, r.precision, r.recall, ...(withLoss ? [r.loss ?? null] : [])]),
  };
}

/** Shows accuracy, precision, recall (and loss) of each row as a table. */
export function showMetrics(rows: readonly MetricsRow[], caption?: string): void {
  showTable(metricsTable(rows, caption));
}

/** The training report: one row per epoch, training and validation metrics, the best epoch marked. */
export function historyTable(history: readonly EpochLogs[], bestEpoch?: number): Table {
  return {
    caption: "Treino por época (val = validação)",
    columns: ["época", ...["perda", "acurácia", "precisão", "revocação", "perda val", "acurácia val", "precisão val", "revocação val"]
      .map((header): TableColumn => ({ header, digits: 3 })), { header: "", align: "left" }],
    digits: 3,
    rows: history.map((l) => [l.epoch, l.loss, l.binaryAccuracy, l.precision, l.recall, l.valLoss, l.valBinaryAccuracy, l.valPrecision,
      l.valRecall, l.epoch === bestEpoch ? "✓ menor perda val" : ""]),
  };
}

/** Shows the training report of `trainModel`'s history as a table. */
export function showHistory(history: readonly EpochLogs[], bestEpoch?: number): void {
  showTable(historyTable(history, bestEpoch));
}
