// Every number a student reads is pt-BR (lib/common/format.ts): this runs the lesson helpers
// that print (check reports and messages, the pooling walk-through, the sliding window's
// titles, heatmap cells, progress lines, gradient tables, layer labels, errors) and fails on a
// US decimal in their text, with the detector that counts them in executed notebooks
// (tools/notebooks/us-decimals.ts: code spans and JSON data are left out, as the rule says).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { projectRoot } from "../../lib/common/config";
import { formatMatrixBR, formatScientificBR, formatValueBR } from "../../lib/common/format";
import { evaluate, formatReport, judgeCase } from "../../lib/check/check";
import { compareValues } from "../../lib/check/compare";
import { allExercises } from "../../lib/check/registry";
import type { ExerciseCase, Json } from "../../lib/check/types";
import "../../lib/exercises";
import { verifyCountSpread, verifyDropout } from "../../lib/exercises/07-dropout";
import { describePoolingWindows } from "../../lib/lecture/pooling";
import { convolutionStepsFigure } from "../../lib/lecture/figures";
import { panels } from "../../lib/lecture/figures";
import { CIRCLE_FILTER, NINE } from "../../lib/lecture/images";
import { gradientTable } from "../../lib/lecture/gradient-checks";
import { layerLabel } from "../../lib/lecture/cnn-diagram";
import { timeForward } from "../../lib/lecture/connectivity";
import { barChart, chartBundle, heatmap } from "../../lib/view/plots";
import { describeProgress } from "../../lib/view/progress";
import { loadHiddenCases } from "../../tools/grader/hidden-cases";
import { htmlTexts, usDecimalLines, usDecimals } from "../../tools/notebooks/us-decimals";

/** Fails naming the lines of `text` that hold a US decimal. */
function assertPtBR(text: string, what: string): void {
  assert.deepEqual(usDecimalLines(text), [], `${what} prints a US decimal`);
}

/** What a student reads of a chart output: its text line, its picture's labels, its live figure's strings. */
function chartText(fig: Parameters<typeof chartBundle>[0]): string {
  const bundle = chartBundle(fig);
  return [String(bundle["text/plain"]), ...htmlTexts(String(bundle["text/html"]))].join("\n");
}

/** `v` with every number moved by 0.123 (a wrong answer of the right shape). */
function perturbed(v: Json): Json {
  if (typeof v === "number") return v + 0.123;
  if (Array.isArray(v)) return v.map(perturbed);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, perturbed(x)]));
  return v;
}

describe("pt-BR numbers in what the lessons print (lib/common/format.ts)", () => {
  it("the detector finds US decimals and leaves pt-BR numbers, versions, code and JSON data alone", () => {
    assert.deepEqual(usDecimals("esperado 2.5, obtido -0.1234 (tolerância 1.5e-7); 80.0%"), ["2.5", "-0.1234", "1.5e-7", "80.0"]);
    assert.deepEqual(usDecimals("3.496.801 parâmetros; 0,82; 1.000 imagens; tfjs 4.22.0; licença CC BY 4.0; 1e-9; 1,5e-7"), []);
    assert.deepEqual(usDecimals("use `rate: 0.2`; configuração: {\"rate\":0.5}; esperado: [[0.1111, -0.3333]]"), []);
    assert.deepEqual(usDecimals("✓ denseBlock(512, 0.7) após o Flatten; tf.layers.dropout({ rate: 0.2 })"), []);
    assert.deepEqual(usDecimals("[0, 1, 0, 0.11 → máximo 0.5"), ["0.11", "0.5"]); // no JSON: counted
    assert.deepEqual(usDecimals("  obtido:   [[0.3951,-1.0134],[-1.4178,-1.1…"), []); // a long value cut by the message
  });

  it("the check of notebook 00 says esperado 2,5, obtido 1 (tolerância 1e-9)", async () => {
    const report = formatReport(await evaluate("warmup-mean", () => 1));
    assert.match(report, /✗ \[1, 2, 3, 4\]: valor diferente: esperado 2,5, obtido 1 \(tolerância 1e-9\)\./);
    assertPtBR(report, "the warm-up's check");
    assert.match(compareValues(1e-5, 0, 1.5e-7) ?? "", /esperado 1e-5, obtido 0 \(tolerância 1,5e-7\)/);
    assert.match(compareValues(3496801.5, 3496801, 0.25) ?? "", /esperado 3\.496\.801,5, obtido 3\.496\.801 \(tolerância 0,25\)/);
  });

  it("every exercise of notebooks 00-08 and 11 names its public and hidden cases and explains a wrong answer in pt-BR", () => {
    // The course's own notebooks only: the grader's tests register fixture exercises too (00-example).
    const course = new Set(fs.readdirSync(path.join(projectRoot(), "solutions")).map((f) => f.replace(/\.ipynb$/, "")));
    const lessons = allExercises().filter((ex) => course.has(ex.notebook) && !/^(09|10)-/.test(ex.notebook));
    assert.ok(lessons.length >= 25, `only ${lessons.length} exercises registered`);
    for (const ex of lessons) {
      for (const c of [...ex.cases(), ...(loadHiddenCases(ex.notebook)[ex.id] ?? [])]) {
        assertPtBR(c.name, `${ex.id}: the case name`);
        if (c.verify || c.expected === undefined) continue;
        const r = judgeCase(c, perturbed(c.expected));
        assertPtBR(`${c.name}: ${r.message}`, `${ex.id}: the message of a wrong answer`);
      }
    }
  });

  it("the dropout check's messages on a wrong mask are pt-BR", () => {
    const x = [0.8, 1.25, 1.5, 0.3];
    const c: ExerciseCase = { name: "4 neurônios", input: { x, rate: 0.5, seed: 1 } as unknown as Json, verify: verifyDropout({ rateTolerance: 0.02, meanTolerance: 0.05, masksDiffer: false }) };
    const unscaled = { output: x.map((v, i) => (i % 2 ? v : 0)), mask: [0, 1, 0, 1], sameSeedMask: [0, 1, 0, 1] };
    const message = c.verify?.(unscaled as unknown as Json, c) ?? "";
    assert.match(message, /esperado x \/ \(1 - taxa\) = 1,25 \/ 0,5 = 2,5, obtido 1,25/);
    assertPtBR(message, "the dropout check");
    assertPtBR(verifyCountSpread([5, 5, 5, 5], 20, 0.25) ?? "", "the dropout spread check");
  });

  it("the lecture's printed lines: pooling windows, the sliding window, matrices, gradients", () => {
    const map = [[0, 1, 0.5], [0.11, 0.33, 0], [0.25, 0, 1]];
    const lines = describePoolingWindows(map, 2, 1, "average");
    assert.equal(lines[0], "janela na linha 0, coluna 0: [0; 1; 0,11; 0,33] → média 0,36");
    assertPtBR(lines.join("\n"), "describePoolingWindows");
    assertPtBR(chartText(convolutionStepsFigure(NINE, CIRCLE_FILTER, { divisor: 9 })), "the sliding window of lesson 02");
    assert.equal(formatMatrixBR([[-1 / 9, 1], [0.5, -2.975]], 2), " -0,11   1,00\n  0,50  -2,98");
    const table = gradientTable([{ layer: "Conv2D", gradient: "dx", relativeError: 1.234e-10, tfMaxDiff: 3.5e-7 }]);
    assert.match(table, /1,2e-10[\s\S]*3,5e-7/);
    assertPtBR(table, "gradientTable");
  });

  it("chart labels: heatmap cells, bars, panels and a Dropout layer's name", () => {
    assertPtBR(chartText(heatmap([[0.125, -1 / 3], [2, 0.5]], { title: "mapa" })), "heatmap");
    assertPtBR(chartText(barChart(["a", "b"], [0.8234, 0.5], { showValues: true, digits: 3, title: "barras" })), "barChart");
    assertPtBR(chartText(panels([{ z: [[0.25, 1.5]], title: "painel" }], { digits: 2 })), "panels");
    assert.equal(layerLabel(tf.layers.dropout({ rate: 0.25 })), "Dropout 0,25");
  });

  it("progress lines and errors a student reads", async () => {
    const line = describeProgress({ label: "treino", done: 1200, total: 5000, elapsedSec: 3, info: { loss: 0.07534, "val. acurácia": "0,922" }, finished: false });
    assert.match(line, /^treino: 1\.200\/5\.000 \(24%\) · 400\/s · faltam 0:10 · loss 0,07534 · val\. acurácia 0,922$/);
    assertPtBR(line, "describeProgress");
    await assert.rejects(timeForward(300), (err: Error) => {
      assert.match(err.message, /GiB/);
      assertPtBR(err.message, "timeForward's error");
      return true;
    });
    assert.equal(formatValueBR(1024), "1.024");
    assert.equal(formatScientificBR(1.5e-7), "1,5e-7");
  });
});
