// The course site builder on small executed notebooks made here (no kernel needed).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plotlyLoaderHtml } from "../../lib/view/chart/html";
import { Notebook, writeNotebook } from "../../tools/notebooks/format";
import { chartBundle, heatmap } from "../../lib/view/plots";
import { buildSite } from "../../tools/site/build";
import { markdownToHtml, mergeStreams } from "../../tools/site/render";

function lesson(id: string, order: number, title: string, summary: string, withChart: boolean): Notebook {
  const outputs = withChart
    ? [{ output_type: "display_data" as const, data: { "text/html": plotlyLoaderHtml(), "text/plain": "" }, metadata: {} },
      { output_type: "display_data" as const, data: chartBundle(heatmap([[1, -1]], { title: "mapa" })), metadata: {} },
      { output_type: "stream" as const, name: "stdout", text: "linha 1\n" }, { output_type: "stream" as const, name: "stdout", text: "linha 2\n" }]
    : [];
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: "tslab" }, course: { id, title, summary, order } },
    cells: [
      { id: "a", cell_type: "markdown", metadata: {}, source: `# ${title}\n\nA saída tem $\\lfloor (n-f)/s \\rfloor + 1$ linhas; custa \`$5\`.` },
      { id: "b", cell_type: "code", metadata: {}, source: "show(heatmap([[1, -1]]));", execution_count: 1, outputs },
    ],
  };
}

describe("course site", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-site-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("typesets math with KaTeX but leaves code spans alone", () => {
    const html = markdownToHtml("Tamanho $n+2p$ e `custa $5` e\n\n$$\\frac{a}{b}$$");
    assert.match(html, /class="katex"/);
    assert.match(html, /class="katex-display"/);
    assert.match(html, /<code>custa \$5<\/code>/);
  });

  it("merges consecutive console lines into one output", () => {
    const merged = mergeStreams([{ output_type: "stream", name: "stdout", text: "a\n" }, { output_type: "stream", name: "stdout", text: "b\n" },
      { output_type: "stream", name: "stderr", text: "c\n" }]);
    assert.deepEqual(merged.map((o) => [o.name, o.text]), [["stdout", "a\nb\n"], ["stderr", "c\n"]]);
  });

  it("writes an index in course order with summaries and one offline page per lesson", async () => {
    const b = path.join(dir, "b.ipynb"), a = path.join(dir, "a.ipynb");
    writeNotebook(b, lesson("02-filtros", 2, "Filtros", "Os filtros da aula.", true));
    writeNotebook(a, lesson("01-conectividade", 1, "Conectividade", "Denso vs convolucional.", false));
    fs.writeFileSync(path.join(dir, "b.status.json"), JSON.stringify({ ok: false, failure: "cell 3 failed: Error: x" }));
    const out = path.join(dir, "site");
    const site = await buildSite({ executed: [b, a], outDir: out, log: () => undefined });
    assert.deepEqual(site.pages.map((p) => p.file), ["01-conectividade.html", "02-filtros.html"]);
    const index = fs.readFileSync(path.join(out, "index.html"), "utf8");
    assert.ok(index.indexOf("Conectividade") < index.indexOf("Filtros"));
    assert.match(index, /Denso vs convolucional\./);
    assert.match(index, /href="02-filtros.html"/);
    const page = fs.readFileSync(path.join(out, "02-filtros.html"), "utf8");
    assert.equal(page.match(/<script src="assets\/plotly.min.js"><\/script>/g)?.length, 1, "plotly.js once, from assets/");
    assert.doesNotMatch(page, /data-cnn-course-plotly/, "no inline copy of plotly.js");
    assert.match(page, /class="cnn-course-figure"/);
    assert.match(page, /<pre class="output stream stdout">linha 1\nlinha 2\n<\/pre>/);
    assert.match(page, /href="01-conectividade.html">← Conectividade/);
    assert.match(page, /parou com um erro/);
    assert.ok(page.length < 200_000, `page size ${page.length}`);
    const first = fs.readFileSync(path.join(out, "01-conectividade.html"), "utf8");
    assert.doesNotMatch(first, /plotly.min.js/, "no plotly.js on a page without charts");
    for (const asset of ["assets/plotly.min.js", "assets/site.css", "assets/highlight.css", "assets/katex/katex.min.css"]) {
      assert.ok(fs.existsSync(path.join(out, asset)), asset);
    }
    assert.ok(fs.readdirSync(path.join(out, "assets", "katex", "fonts")).some((f) => f.endsWith(".woff2")));
    // Every asset a page names is in the folder (it works offline from there).
    for (const ref of [...page.matchAll(/(?:href|src)="(assets\/[^"]+)"/g)].map((m) => m[1])) assert.ok(fs.existsSync(path.join(out, ref)), ref);
  });
});
