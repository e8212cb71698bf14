// The confusion matrix as a textbook draws it, the Portuguese metric titles and the pt-BR
// separators of every chart (issue 29).
import { strict as assert } from "assert";
import { confusionMatrixChart, rowShares } from "../../lib/view/confusion";
import { chartBundle, figureToSvg, historyChart, metricTitle, withBrazilianSeparators } from "../../lib/view/plots";
import { confusionPairFigure } from "../../lib/pneumonia/explain/charts";

describe("confusion matrix chart (lib/view/confusion.ts)", () => {
  it("has the class names on category axes, real down the side and previsto along the bottom, square", () => {
    const fig = confusionMatrixChart([[0, 35], [0, 65]], { title: "Matriz de confusão no teste" });
    const t = fig.data[0], L = fig.layout as Record<string, { [k: string]: unknown }>;
    assert.deepEqual([t.x, t.y], [["NORMAL", "PNEUMONIA"], ["NORMAL", "PNEUMONIA"]]);
    assert.deepEqual([L.xaxis.type, L.yaxis.type], ["category", "category"]);
    assert.deepEqual([L.xaxis.title, L.yaxis.title], [{ text: "previsto" }, { text: "real" }]);
    assert.equal(L.yaxis.scaleanchor, "x");
    assert.equal(L.yaxis.autorange, "reversed");
    const m = fig.layout.margin as { l: number; r: number; t: number; b: number };
    assert.equal((fig.layout.width as number) - m.l - m.r, (fig.layout.height as number) - m.t - m.b, "a square plot area");
  });

  it("writes count and share of the real class in every cell, zeros included, and colours by that share", () => {
    const fig = confusionMatrixChart([[0, 35], [12, 1053]]);
    assert.deepEqual(fig.data[0].text, [["0<br>0,0%", "35<br>100,0%"], ["12<br>1,1%", "1.053<br>98,9%"]]);
    assert.deepEqual(fig.data[0].z, rowShares([[0, 35], [12, 1053]]));
    assert.deepEqual([fig.data[0].zmin, fig.data[0].zmax], [0, 1]);
    // The static picture draws all four cells, each with its text.
    const svg = figureToSvg(fig);
    for (const label of ["0 0,0%", "35 100,0%", "12 1,1%", "1.053 98,9%", "NORMAL", "PNEUMONIA", "previsto", "real"]) assert.ok(svg.includes(`>${label}<`), label);
  });

  it("says what a matrix should be when it is not one", () => {
    assert.throws(() => confusionMatrixChart([[1, 2, 3]]), /esperava 2x2 \(linhas = classe real, colunas = prevista: NORMAL, PNEUMONIA\)/);
    assert.throws(() => confusionMatrixChart([[1, 2], [3, 0.5]]), /as células são contagens/);
  });

  it("draws notebook 10's pair the same way, side by side", () => {
    const fig = confusionPairFigure([{ title: "teste, limiar 0,5", matrix: [[10, 5], [1, 30]] }, { title: "teste, limiar 0,2", matrix: [[3, 12], [0, 31]] }]);
    const L = fig.layout as Record<string, { [k: string]: unknown }>;
    assert.deepEqual([L.xaxis.type, L.xaxis2.type, L.yaxis.type, L.yaxis2.type], ["category", "category", "category", "category"]);
    assert.deepEqual([L.yaxis.scaleanchor, L.yaxis2.scaleanchor], ["x", "x2"]);
    assert.deepEqual(fig.data[1].text, [["3<br>20,0%", "12<br>80,0%"], ["0<br>0,0%", "31<br>100,0%"]]);
  });
});

describe("charts in Portuguese with pt-BR numbers", () => {
  it("titles Keras' metrics in Portuguese with Keras' name beside them", () => {
    assert.equal(metricTitle("recall"), "revocação (recall)");
    assert.equal(metricTitle("binary_accuracy"), "acurácia (binary_accuracy)");
    assert.equal(metricTitle("val_auc_2"), "val_auc_2");
    const fig = historyChart({ loss: [0.9, 0.5], val_loss: [1, 0.6], precision: [0.5, 0.6], val_precision: [0.4, 0.5] });
    assert.deepEqual((fig.layout.annotations as { text: string }[]).map((a) => a.text), ["perda (loss)", "precisão (precision)"]);
  });

  it("sends every chart with plotly's separators \",.\" and pt-BR ticks in its static picture", () => {
    const html = chartBundle(historyChart({ loss: [0.9, 0.5] }))["text/html"];
    assert.ok(html.includes('"separators":",."'), "the live chart gets the separators");
    const svg = Buffer.from(/data:image\/svg\+xml;base64,([^"]+)"/.exec(html)![1], "base64").toString("utf8");
    assert.ok(/>0,6</.test(svg) && !/>0\.6</.test(svg), "static ticks with a decimal comma");
    // A figure that sets its own separators keeps them.
    const own = historyChart({ loss: [0.9, 0.5] });
    own.layout.separators = ".,";
    assert.equal(withBrazilianSeparators(own).layout.separators, ".,");
    assert.equal(withBrazilianSeparators(historyChart({ loss: [0.9, 0.5] })).layout.separators, ",.");
  });
});
