// The static SVG of each chart kind and the HTML/MIME bundle a notebook receives.
import { strict as assert } from "assert";
import { PNG } from "pngjs";
import * as sax from "sax";
import { colorAt, IMAGE_COLORS, MAP_COLORS, rgbString } from "../../lib/view/chart/colorscale";
import { PLOTLY_LOADER_ATTR } from "../../lib/view/chart/html";
import { figureToSvg, niceTicks } from "../../lib/view/chart/svg";
import { MimeBundle, setDisplaySink } from "../../lib/view/display";
import { barChart, chartBundle, forgetPlotlyLoader, heatmap, historyChart, imageGrid, lineChart, liveChart, show } from "../../lib/view/plots";

/** Parses the SVG strictly (throws on malformed XML) and returns its elements. */
function elements(svg: string): { name: string; attrs: Record<string, string>; text: string }[] {
  const found: { name: string; attrs: Record<string, string>; text: string }[] = [];
  const parser = sax.parser(true);
  parser.onopentag = (tag) => { found.push({ name: tag.name, attrs: tag.attributes as Record<string, string>, text: "" }); };
  parser.ontext = (t) => { if (found.length) found[found.length - 1].text += t; };
  parser.onerror = (e) => { throw e; };
  parser.write(svg).close();
  return found;
}

const texts = (svg: string): string[] => elements(svg).filter((e) => e.name === "text").map((e) => e.text);

describe("static charts (SVG)", () => {
  it("picks nice tick steps", () => {
    assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
    assert.deepEqual(niceTicks(-0.5, 4.5, 5, true), [0, 1, 2, 3, 4]);
    assert.deepEqual(niceTicks(0, 3100, 4), [0, 1000, 2000, 3000]);
  });

  it("draws a small heatmap cell by cell, in the colors of its colorscale, with each value written", () => {
    const z = [[-1, 0], [2, 1]];
    const svg = figureToSvg(heatmap(z, { title: "mapa" }));
    const rects = elements(svg).filter((e) => e.name === "rect" && e.attrs.fill?.startsWith("rgb("));
    const stops = MAP_COLORS;
    // Diverging around 0: zmin -2, zmax 2 (zmid 0), so -1 is at 1/4 of the scale, 2 at the top.
    const expected = [-1, 0, 2, 1].map((v) => rgbString(colorAt(stops, (v + 2) / 4)));
    assert.deepEqual(rects.map((r) => r.attrs.fill), expected);
    const t = texts(svg);
    for (const v of ["-1", "0", "2", "1", "mapa"]) assert.ok(t.includes(v), `text ${v} in ${JSON.stringify(t)}`);
    // Row 0 is drawn on top (the y axis is reversed as in the lecture's matrices).
    assert.ok(Number(rects[0].attrs.y) < Number(rects[2].attrs.y));
  });

  it("draws a large heatmap as one embedded PNG with the same colors", () => {
    const z = Array.from({ length: 60 }, (_, r) => Array.from({ length: 60 }, (_, c) => r * 60 + c));
    const svg = figureToSvg(heatmap(z));
    const image = elements(svg).find((e) => e.name === "image");
    assert.ok(image, "an <image>");
    assert.equal(elements(svg).filter((e) => e.name === "rect").length < 10, true);
    const png = PNG.sync.read(Buffer.from(image.attrs.href.split(",")[1], "base64"));
    assert.deepEqual([png.width, png.height], [60, 60]);
    // Top-left pixel is z[0][0] = 0 = the lowest value: white in the default image greys; the highest is the ink.
    assert.deepEqual([...png.data.subarray(0, 3)], [255, 255, 255]);
    const last = 4 * (60 * 60 - 1);
    assert.deepEqual([...png.data.subarray(last, last + 3)], [0x22, 0x22, 0x22]);
    assert.deepEqual(IMAGE_COLORS[1], [1, "#222222"]);
  });

  it("draws line charts through their points, with a legend and axis titles", () => {
    const svg = figureToSvg(lineChart([{ name: "loss", y: [0.9, 0.5, 0.3] }, { name: "val_loss", y: [1, 0.7, 0.6] }], { xTitle: "época", yTitle: "perda" }));
    const paths = elements(svg).filter((e) => e.name === "path");
    assert.equal(paths.length, 2);
    const pts = paths[0].attrs.d.slice(1).split("L").map((p) => p.split(",").map(Number));
    assert.equal(pts.length, 3);
    assert.ok(pts[0][0] < pts[1][0] && pts[1][0] < pts[2][0], "x grows with the epoch");
    assert.ok(pts[0][1] < pts[1][1] && pts[1][1] < pts[2][1], "a falling loss goes down the page");
    // Equal steps in x: epochs are evenly spaced.
    assert.ok(Math.abs((pts[1][0] - pts[0][0]) - (pts[2][0] - pts[1][0])) < 0.02);
    // 0.9 → 0.5 is twice the drop of 0.5 → 0.3.
    assert.ok(Math.abs((pts[1][1] - pts[0][1]) - 2 * (pts[2][1] - pts[1][1])) < 0.05);
    const t = texts(svg);
    for (const s of ["loss", "val_loss", "época", "perda", "1", "2", "3"]) assert.ok(t.includes(s), `text ${s}`);
  });

  it("draws bars proportional to their values, with the values above them", () => {
    const svg = figureToSvg(barChart(["NORMAL", "PNEUMONIA"], [1000, 3000], { showValues: true }));
    const bars = elements(svg).filter((e) => e.name === "rect" && e.attrs.fill === "#1f77b4");
    assert.equal(bars.length, 2);
    const h = bars.map((b) => Number(b.attrs.height));
    assert.ok(Math.abs(h[1] / h[0] - 3) < 0.01, `heights ${h}`);
    const t = texts(svg);
    for (const s of ["NORMAL", "PNEUMONIA", "1000", "3000"]) assert.ok(t.includes(s), `text ${s}`);
  });

  it("embeds the very PNG of each image of an imageGrid, with its title", () => {
    const fig = imageGrid([[[0, 1], [1, 0]], [[1, 1], [0, 0]]], { titles: ["a", "b"] });
    const images = elements(figureToSvg(fig)).filter((e) => e.name === "image");
    assert.deepEqual(images.map((i) => i.attrs.href), fig.data.map((t) => t.source));
    assert.ok(Number(images[0].attrs.x) + Number(images[0].attrs.width) <= Number(images[1].attrs.x), "side by side");
    assert.deepEqual(texts(figureToSvg(fig)).filter((s) => s === "a" || s === "b"), ["a", "b"]);
  });

  it("draws log axes by decades and one subplot per metric in historyChart", () => {
    const log = figureToSvg({ data: [{ type: "scatter", x: [1, 2, 3], y: [1, 10, 100] }], layout: { yaxis: { type: "log" } } });
    const pts = elements(log).find((e) => e.name === "path")!.attrs.d.slice(1).split("L").map((p) => Number(p.split(",")[1]));
    assert.ok(Math.abs((pts[0] - pts[1]) - (pts[1] - pts[2])) < 0.05, "1, 10, 100 equally spaced");
    assert.ok(texts(log).includes("10") && texts(log).includes("100"));
    const hist = historyChart({ loss: [0.7, 0.5], val_loss: [0.8, 0.6], accuracy: [0.6, 0.8], val_accuracy: [0.5, 0.7] });
    const svg = figureToSvg(hist);
    assert.equal(elements(svg).filter((e) => e.name === "path").length, 4);
    assert.ok(texts(svg).includes("perda (loss)") && texts(svg).includes("acurácia (accuracy)") && texts(svg).includes("validação"));
  });

  it("writes a note instead of failing on a trace kind it cannot draw", () => {
    const svg = figureToSvg({ data: [{ type: "surface", z: [[1]] }], layout: {} });
    assert.ok(texts(svg).some((t) => t.includes('"surface": sem versão estática')));
  });
});

describe("chart outputs in a notebook", () => {
  afterEach(() => { setDisplaySink(null); forgetPlotlyLoader(); delete process.env.CNN_COURSE_CHARTS; });

  it("holds the static picture as an <img> and a script that swaps in plotly, safe from </script> in titles", () => {
    const fig = lineChart([{ name: "a", y: [1, 2] }], { title: "x </script><b>y" });
    const bundle = chartBundle(fig);
    const html = bundle["text/html"];
    assert.equal(bundle["text/plain"], "[gráfico: x </script><b>y]");
    const src = /<img class="cnn-course-static" src="data:image\/svg\+xml;base64,([^"]+)"/.exec(html);
    assert.ok(src, "a static <img>");
    // The picture of the figure as shown: with pt-BR separators (1,5 on the axis).
    assert.equal(Buffer.from(src[1], "base64").toString("utf8"), figureToSvg({ ...fig, layout: { ...fig.layout, separators: ",." } }));
    assert.equal(html.match(/<\/script>/g)?.length, 1, "only the script's own closing tag");
    assert.match(html, /newPlot/);
    process.env.CNN_COURSE_CHARTS = "static";
    assert.doesNotMatch(chartBundle(fig)["text/html"], /<script/);
  });

  it("sends plotly.js once per kernel before the first chart, then charts only", () => {
    const sent: { bundle: MimeBundle; id?: string; update: boolean }[] = [];
    setDisplaySink((bundle, id, update) => sent.push({ bundle, id, update }));
    show(heatmap([[1]]));
    show(heatmap([[2]]));
    assert.equal(sent.length, 3);
    assert.ok(sent[0].bundle["text/html"].includes(`${PLOTLY_LOADER_ATTR}=`));
    assert.ok(sent[0].bundle["text/html"].length > 3_000_000, "the minified plotly.js itself");
    assert.ok(sent.slice(1).every((s) => s.bundle["text/html"].startsWith('<div class="cnn-course-figure"')));
  });

  it("liveChart redraws one output in place at each update", () => {
    const sent: { bundle: MimeBundle; id?: string; update: boolean }[] = [];
    setDisplaySink((bundle, id, update) => sent.push({ bundle, id, update }));
    const chart = liveChart();
    for (let e = 1; e <= 3; e++) chart.update(lineChart([{ name: "loss", y: Array.from({ length: e }, (_, i) => 1 / (i + 1)) }], { title: `época ${e}` }));
    const charts = sent.filter((s) => !s.bundle["text/html"].includes(PLOTLY_LOADER_ATTR));
    assert.equal(charts.length, 3);
    assert.ok(charts.every((c) => c.id === charts[0].id && c.id));
    assert.deepEqual(charts.map((c) => c.update), [false, true, true]);
    assert.equal(charts[2].bundle["text/plain"], "[gráfico: época 3]");
  });
});
