// Figure builders: the plotly figures they return hold the data they were given.
import { strict as assert } from "assert";
import { PNG } from "pngjs";
import { heatmap, imageGrid, lineChart, Trace } from "../../lib/view/plots";

function decodeSource(trace: Trace): PNG {
  const src = String(trace.source);
  assert.match(src, /^data:image\/png;base64,/);
  return PNG.sync.read(Buffer.from(src.slice(src.indexOf(",") + 1), "base64"));
}

describe("figure builders", () => {
  it("heatmap keeps the matrix and writes small matrices' values in the cells", () => {
    const z = [[0, 1.5], [-2, 3]];
    const fig = heatmap(z, { title: "mapa" });
    assert.deepEqual(fig.data[0].z, z);
    assert.deepEqual(fig.data[0].text, [["0", "1,50"], ["-2", "3"]]); // pt-BR: students read the cells
    assert.deepEqual(fig.layout.title, { text: "mapa" });
  });

  it("heatmap is wide enough for its x title (a 2x2 confusion matrix cut 'previsto' to 'evisto')", () => {
    const xTitle = "previsto (0 = NORMAL, 1 = PNEUMONIA)";
    const narrow = heatmap([[1, 2], [3, 4]]).layout as { width: number };
    const titled = heatmap([[1, 2], [3, 4]], { xTitle }).layout as { width: number; margin: { l: number; r: number } };
    assert.equal(narrow.width, 260);
    assert.ok(titled.width >= xTitle.length * 7 + 120, `width ${titled.width}`);
    assert.equal((heatmap([[1, 2], [3, 4]], { xTitle, width: 200 }).layout as { width: number }).width, 200, "an explicit width wins");
  });

  it("lineChart numbers epochs from 1 when x is not given", () => {
    const fig = lineChart([{ name: "loss", y: [0.9, 0.5, 0.3] }]);
    assert.deepEqual(fig.data[0].x, [1, 2, 3]);
    assert.equal(fig.data[0].name, "loss");
  });

  it("imageGrid lays images out in columns with titles and the exact pixels", () => {
    const nine = [[0, 1, 1], [0, 1, 0.5]]; // values in [0, 1]: 1 is white
    const digit = [[0, 255], [128, 64]]; // values in [0, 255]
    const rgb = { pixels: Uint8Array.from([255, 0, 0, 0, 255, 0]), width: 2, height: 1 };
    const fig = imageGrid([nine, digit, rgb], { titles: ["nove", "dígito", "rgb"], columns: 2 });
    assert.equal(fig.data.length, 3);
    assert.deepEqual(fig.data.map((t) => [t.xaxis, t.yaxis]), [["x", "y"], ["x2", "y2"], ["x3", "y3"]]);
    const png0 = decodeSource(fig.data[0]);
    assert.equal(png0.width, 3);
    assert.equal(png0.height, 2);
    assert.deepEqual([...png0.data.subarray(0, 12)], [0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
    assert.equal(png0.data[4 * 5], 128, "0.5 becomes gray 128");
    assert.deepEqual([...decodeSource(fig.data[1]).data.subarray(8, 12)], [128, 128, 128, 255]);
    assert.deepEqual([...decodeSource(fig.data[2]).data], [255, 0, 0, 255, 0, 255, 0, 255]);
    // Two per row: the third image sits below the first, in the same column.
    const ax = (k: string): { domain: number[] } => fig.layout[k] as { domain: number[] };
    assert.deepEqual(ax("xaxis3").domain, ax("xaxis").domain);
    assert.ok(ax("yaxis3").domain[1] < ax("yaxis").domain[0], "second row below the first");
    assert.ok(ax("xaxis").domain[1] < ax("xaxis2").domain[0], "columns do not overlap");
    const notes = fig.layout.annotations as { text: string }[];
    assert.deepEqual(notes.map((a) => a.text), ["nove", "dígito", "rgb"]);
  });

  it("imageGrid says what is wrong with bad input", () => {
    assert.throws(() => imageGrid([]), /pelo menos uma imagem/);
    assert.throws(() => imageGrid([[[1, 2], [3]]]), /imagem 0: todas as linhas da matriz devem ter 2 valores/);
    assert.throws(() => imageGrid([{ pixels: [1, 2, 3, 4, 5], width: 2, height: 2 }]), /5 valores não formam 2x2 pixels/);
    assert.throws(() => imageGrid([[[1]], [[2]]], { titles: ["só um"] }), /1 títulos para 2 imagens/);
  });
});
