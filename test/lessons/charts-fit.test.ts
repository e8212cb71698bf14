// Charts that fit the page and explain themselves: multi-panel histories wrap within the
// output width, train/validation curves carry a Portuguese legend (static picture and live
// chart), and the site shows a live chart after its progress lines and fenced code as code.
import { strict as assert } from "assert";
import { chartBundle, figureToSvg, historyChart, historyColumns, MAX_CHART_WIDTH } from "../../lib/view/plots";
import { Output } from "../../tools/notebooks/format";
import { chartsAfterProgress, markdownToHtml } from "../../tools/site/render";

const PNEUMONIA_CURVES = ["precision", "recall", "binary_accuracy", "loss"];

function kerasLikeHistory(epochs: number): Record<string, number[]> {
  const h: Record<string, number[]> = {};
  PNEUMONIA_CURVES.forEach((m, i) => {
    h[m] = Array.from({ length: epochs }, (_, e) => 0.5 + 0.05 * e + 0.01 * i);
    h[`val_${m}`] = Array.from({ length: epochs }, (_, e) => 0.45 + 0.04 * e + 0.01 * i);
  });
  return h;
}

interface Axis { domain: [number, number] }

describe("charts that fit and explain themselves", () => {
  it("wraps the 4-panel pneumonia history (columns: 4) into rows within the page width", () => {
    const fig = historyChart(kerasLikeHistory(8), { metrics: PNEUMONIA_CURVES, columns: 4, title: "Desempenho" });
    const width = Number(fig.layout.width);
    assert.ok(width <= MAX_CHART_WIDTH, `chart ${width} px wide, page column ${MAX_CHART_WIDTH} px`);
    const x = (k: string): Axis => fig.layout[`xaxis${k}`] as Axis;
    const y = (k: string): Axis => fig.layout[`yaxis${k}`] as Axis;
    // 2 x 2: panels 1 and 2 side by side on top, 3 and 4 below.
    assert.ok(x("").domain[1] < x("2").domain[0], "panel 2 is right of panel 1");
    assert.deepEqual(x("3").domain, x("").domain, "panel 3 starts a new row under panel 1");
    assert.ok(y("3").domain[1] < y("").domain[0], "row 2 is below row 1");
    for (const k of ["", "2", "3", "4"]) for (const v of x(k).domain) assert.ok(v >= 0 && v <= 1.0000001);
  });

  it("keeps the requested columns when they fit, and never more than the panels", () => {
    assert.equal(historyColumns(4, 2), 2);
    assert.equal(historyColumns(1, 4), 1);
    assert.equal(historyColumns(4, 4), 2);
    assert.equal(historyColumns(3, 1), 1);
  });

  it("labels training and validation in Portuguese, in the live chart's first epoch and in the static picture", () => {
    for (const epochs of [1, 8]) {
      const fig = historyChart(kerasLikeHistory(epochs), { metrics: PNEUMONIA_CURVES, columns: 4 });
      const shown = fig.data.filter((t) => t.showlegend !== false).map((t) => t.name);
      assert.deepEqual(shown, ["treino", "validação"], `legend entries with ${epochs} epoch(s)`);
      assert.equal(fig.layout.showlegend, true);
      const svg = figureToSvg(fig);
      assert.match(svg, />treino</);
      assert.match(svg, />validação</);
    }
  });

  it("lets the static picture shrink to a narrower output area", () => {
    const html = chartBundle(historyChart(kerasLikeHistory(2)))["text/html"];
    assert.match(html, /<img class="cnn-course-static"[^>]*style="max-width:100%;height:auto"/);
  });
});

describe("course site: live charts and fenced code", () => {
  const progress = (epoch: number): Output => ({ output_type: "display_data", metadata: {},
    data: { "text/html": `<div class="cnn-course-progress">✔ Época ${epoch}/3</div>`, "text/plain": `Época ${epoch}/3` } });
  const chart: Output = { output_type: "display_data", metadata: {}, data: chartBundle(historyChart(kerasLikeHistory(3))) };
  const line: Output = { output_type: "stream", name: "stdout", text: "3 época(s)\n" };
  const label = (o: Output): string => o === chart ? "chart" : o === line ? "text" : String((o.data?.["text/plain"] as string).slice(-3));

  it("moves a live chart saved between the epochs' progress lines to after the last one", () => {
    const ordered = chartsAfterProgress([progress(1), chart, progress(2), progress(3), line]);
    assert.deepEqual(ordered.map(label), ["1/3", "2/3", "3/3", "chart", "text"]);
  });

  it("leaves outputs alone when no chart sits among progress lines", () => {
    const outputs = [progress(1), progress(2), chart, line];
    assert.deepEqual(chartsAfterProgress(outputs).map(label), ["1/3", "2/3", "chart", "text"]);
  });

  it("renders fenced code in markdown as a highlighted code block", () => {
    const html = markdownToHtml("O modelo:\n\n```ts\nconst inputs = tf.input({ shape: [180, 180, 3] }); // $x$\n```\n\ne $n+1$.");
    assert.match(html, /<pre class="code-block"><code class="hljs language-ts">/);
    assert.match(html, /<span class="hljs-keyword">const<\/span>/);
    assert.match(html, /\/\/ \$x\$/, "math inside code is left alone");
    assert.match(html, /class="katex"/, "math outside code is typeset");
  });
});
