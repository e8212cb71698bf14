// The HTML a chart output carries. Each chart is one block holding
//   1. <img src="data:image/svg+xml;base64,..."> — the static picture (chart/svg.ts), which
//      survives every sanitizer (JupyterLab, Notebook 6 and 7 keep <img> with data: URIs in
//      untrusted HTML) and needs no JavaScript;
//   2. an empty <div> and a <script> that draws the interactive plotly chart there and then
//      hides the picture — only where scripts run (trusted notebooks, nbconvert HTML).
// plotly.js itself travels once per kernel in its own "loader" output (see plots.ts); a
// chart whose script runs before plotly is there queues itself and the loader draws it.
import { platform } from "../../common/platform";
import { escapeHtml } from "../display";
import { Figure, figureTitle } from "./figure";

/** The marker attribute of the loader script (the site builder swaps it for a <script src>). */
export const PLOTLY_LOADER_ATTR = "data-cnn-course-plotly";
/** Global queue of charts waiting for plotly.js. */
const QUEUE = "cnnCoursePlotQueue";

/** JSON that is safe inside <script> (no "</script>", no U+2028/2029 line breaks). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export function plotlyMinPath(): string {
  return require.resolve("plotly.js-dist-min/plotly.min.js");
}

export function plotlyVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a JSON file outside rootDir, read at run time
  return (require("plotly.js-dist-min/package.json") as { version: string }).version;
}

let plotlySourceCache: string | null = null;

/** A <script> that defines window.Plotly (minified plotly.js from node_modules) and draws the queued charts. */
export function plotlyLoaderHtml(): string {
  plotlySourceCache = plotlySourceCache ?? platform().plotlySource();
  if (/<\/script/i.test(plotlySourceCache)) throw new Error("plotly.min.js contains </script>: it cannot be inlined");
  // `module`/`exports`/`define` shadowed: the bundle must set window.Plotly whatever the page
  // has loaded (Notebook 6 ships RequireJS).
  return `<script type="text/javascript" ${PLOTLY_LOADER_ATTR}="${plotlyVersion()}">` +
    `(function(module, exports, define){${plotlySourceCache}\n}).call(window);` +
    flushQueueJs() + `</script>`;
}

/** JavaScript that draws every chart waiting for plotly.js (appended to the loader, and to the site's pages). */
export function flushQueueJs(): string {
  return `(function(){var q=window.${QUEUE}||[];window.${QUEUE}=[];for(var i=0;i<q.length;i++){try{q[i](window.Plotly);}catch(e){console.error(e);}}})();`;
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${platform().toBase64(new TextEncoder().encode(svg))}`;
}

/** One chart's HTML: the static SVG picture, and the script that swaps in the live plotly chart. */
export function figureHtml(fig: Figure, svg: string, id: string, opts: { interactive?: boolean } = {}): string {
  const width = Number(fig.layout.width) || 700, height = Number(fig.layout.height) || 450;
  const alt = escapeHtml(figureTitle(fig) || "gráfico");
  // max-width: the picture shrinks (keeping its proportions) in an output area narrower than the chart.
  const img = `<img class="cnn-course-static" src="${svgDataUri(svg)}" width="${width}" height="${height}" alt="${alt}" style="max-width:100%;height:auto">`;
  if (opts.interactive === false) return `<div class="cnn-course-figure" id="${id}">${img}</div>`;
  const script = `(function(){var root=document.getElementById(${scriptJson(id)});if(!root)return;` +
    `var fig=${scriptJson({ data: fig.data, layout: fig.layout, frames: fig.frames, config: { displaylogo: false, ...fig.config } })};` +
    // A chart wider than its output area is drawn smaller, keeping its proportions (panels are
    // fractions of the plot area, so every panel shrinks alike) instead of hiding behind a scroll bar.
    `function draw(P){var el=root.querySelector(".cnn-course-plot");` +
    `var W=root.clientWidth,L=fig.layout;if(W>0&&L.width>W){L.height=Math.round(L.height*W/L.width);L.width=W;}` +
    `P.newPlot(el,fig).then(function(){` +
    `var s=root.querySelector(".cnn-course-static");if(s)s.style.display="none";});}` +
    `if(window.Plotly&&window.Plotly.newPlot)draw(window.Plotly);else(window.${QUEUE}=window.${QUEUE}||[]).push(draw);})();`;
  return `<div class="cnn-course-figure" id="${id}">${img}<div class="cnn-course-plot"></div>` +
    `<script type="text/javascript">${script}</script></div>`;
}
