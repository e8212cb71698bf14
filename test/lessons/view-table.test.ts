// Tables as tables (issue 29): HTML with a text fallback, pt-BR numbers, and the pneumonia
// notebooks' tables built on it (metrics, training report, masked tests, heat summaries).
import { strict as assert } from "assert";
import { MimeBundle, setDisplaySink } from "../../lib/view/display";
import { formatTable, showTable, tableBundle, tableHtml } from "../../lib/view/table";
import { historyTable, metricsTable, showMetrics } from "../../lib/pneumonia/training/report";
import { formatMaskedTests, maskedTestsTable } from "../../lib/pneumonia/explain/masking";
import { heatSummariesTable } from "../../lib/pneumonia/explain/shortcuts";
import { EpochLogs } from "../../lib/pneumonia/training/fit";

describe("tables (lib/view/table.ts)", () => {
  const table = { columns: ["", "acurácia", "n"], rows: [["teste", 0.65, 100], ["validação", 0.78, 1234]], caption: "Métricas" };

  it("writes HTML cells with pt-BR numbers, numbers right-aligned, text escaped", () => {
    const html = tableHtml({ ...table, rows: [...table.rows, ["<b>", null, 5]] });
    assert.match(html, /<caption[^>]*>Métricas<\/caption>/);
    assert.match(html, /<tr><td style="text-align:left">teste<\/td><td style="text-align:right">0,650<\/td><td style="text-align:right">100<\/td><\/tr>/);
    assert.match(html, /<td style="text-align:right">1\.234<\/td>/);
    assert.match(html, /<td style="text-align:left">&lt;b&gt;<\/td><td style="text-align:right">—<\/td>/);
  });

  it("aligns the text fallback in columns, without Markdown pipes", () => {
    assert.equal(formatTable(table), [
      "Métricas",
      "           acurácia      n",
      "─────────  ────────  ─────",
      "teste         0,650    100",
      "validação     0,780  1.234",
    ].join("\n"));
  });

  it("sends one bundle with text/html and text/plain to the notebook", () => {
    const sent: MimeBundle[] = [];
    setDisplaySink((b) => sent.push(b));
    try {
      showTable(table);
    } finally {
      setDisplaySink(null);
    }
    assert.deepEqual(sent, [tableBundle(table)]);
    assert.deepEqual(Object.keys(sent[0]).sort(), ["text/html", "text/plain"]);
  });

  it("says which row has the wrong number of cells", () => {
    assert.throws(() => formatTable({ columns: ["a", "b"], rows: [[1, 2], [3]] }), /a linha 2 tem 1 valores para 2 colunas/);
  });
});

describe("the pneumonia notebooks' tables", () => {
  it("metrics: Portuguese headers with Keras' names, 3 decimals, loss only when given", () => {
    const t = metricsTable([{ name: "teste", accuracy: 0.65, precision: 0.65, recall: 1, loss: 0.7055836617946625 }]);
    assert.equal(formatTable(t).split("\n")[2], "teste                       0,650                 0,650               1,000         0,706");
    assert.deepEqual(t.columns.map((c) => (typeof c === "string" ? c : c.header)),
      ["", "acurácia (binary_accuracy)", "precisão (precision)", "revocação (recall)", "perda (loss)"]);
    assert.equal(metricsTable([{ name: "da matriz", accuracy: 1, precision: 1, recall: 1 }]).columns.length, 4);
    const sent: MimeBundle[] = [];
    setDisplaySink((b) => sent.push(b));
    try {
      showMetrics([{ name: "teste", accuracy: 0.5, precision: 0.25, recall: 0.125 }]);
    } finally {
      setDisplaySink(null);
    }
    assert.match(sent[0]["text/html"], /<td style="text-align:right">0,125<\/td>/);
  });

  it("training report: one row per epoch, the best one marked", () => {
    const epoch = (e: number, loss: number): EpochLogs => ({ epoch: e, loss, valLoss: loss + 0.1, binaryAccuracy: 0.5, precision: 0.6, recall: 0.7,
      valBinaryAccuracy: 0.55, valPrecision: 0.65, valRecall: 0.75, learningRate: 0.001, seconds: 3 });
    const lines = formatTable(historyTable([epoch(1, 0.9), epoch(2, 0.5)], 2)).split("\n");
    assert.equal(lines.length, 5);
    assert.match(lines[3], /^ +1 +0,900 +0,500 +0,600 +0,700 +1,000 +0,550 +0,650 +0,750$/);
    assert.match(lines[4], /^ +2 +0,500 .* 0,600 +0,550 +0,650 +0,750 {2}✓ menor perda val$/);
  });

  it("masked tests and heat summaries: pt-BR numbers and percentages", () => {
    const rows = [{ name: "originais", accuracy: 0.8, precision: 0.75, recall: 0.98, auc: 0.9269, meanProbability: 0.6123 }];
    assert.deepEqual(maskedTestsTable(rows as never).rows, [["originais", 0.8, 0.75, 0.98, 0.9269, 0.6123]]);
    assert.match(formatMaskedTests(rows as never), /originais +0,800 +0,750 +0,980 +0,927 +0,612/);
    const heat = heatSummariesTable([{ name: "Grad-CAM bloco 2", summary: { lungs: 0.412, border: 0.2049, lungsArea: 0.36, borderArea: 0.19, empty: 3 } }]);
    assert.match(formatTable(heat), /Grad-CAM bloco 2 +41,2% +20,5% +3\n\(mapa uniforme = a área\) +36,0% +19,0% +—/);
  });
});
