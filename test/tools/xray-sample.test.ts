// The X-ray sample the repository ships (data/chest-xray-sample): its size and contents, the
// fallback to it when no full copy is configured (sample preset, Portuguese notice), nothing
// changed when the full data is there, and a byte-identical rebuild from the full copy.
import { strict as assert } from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PNG } from "pngjs";
import { xrayDataDir, xrayReadDir, xraySampleDir } from "../../lib/common/config";
import { xraySampleNotice } from "../../lib/pneumonia/data/sample-notice";
import { listXrayFiles } from "../../lib/pneumonia/data/xray-files";
import { presetFromEnv } from "../../lib/pneumonia/training/presets";
import { latestResultsFile } from "../../lib/pneumonia/training/results";
import { SeedTable } from "../../lib/pneumonia/training/seed-table";
import { buildXraySample, SAMPLE_DEFAULTS } from "../../tools/data/xray-sample";
import { describeWithXrayData } from "../helpers/data";

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]).sort();
}

/** Runs `body` with some environment variables set (undefined: removed), then restores them. */
function withEnv<T>(vars: Record<string, string | undefined>, body: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  try {
    return body();
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

describe("the X-ray sample in data/", () => {
  const dir = xraySampleDir();
  const emptyCache = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-sample-cache-"));
  after(() => fs.rmSync(emptyCache, { recursive: true, force: true }));

  it("holds 300 train and 100 test real X-rays, 96x96 grey PNG, at most 3 MB, with attribution and licence", () => {
    const files = listXrayFiles(dir);
    const count = (split: string, label: number): number => files.filter((f) => f.split === split && f.label === label).length;
    assert.deepEqual([count("train", 0), count("train", 1), count("test", 0), count("test", 1)], [77, 223, 37, 63]);
    const bytes = filesUnder(dir).reduce((s, f) => s + fs.statSync(f).size, 0);
    assert.ok(bytes <= 3_000_000, `${bytes} bytes`);
    for (const f of files.filter((_, i) => i % 40 === 0)) {
      const png = PNG.sync.read(fs.readFileSync(f.path));
      assert.deepEqual([png.width, png.height], [96, 96], f.path);
    }
    const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
    for (const needed of ["CC BY 4.0", "Kermany", "doi:10.17632/rscbjbr9sj.2", "doi:10.1016/j.cell.2018.02.010", "npm run sample"]) {
      assert.ok(readme.includes(needed), `README names ${needed}`);
    }
  });

  it("is what the course reads when no full copy is configured: sample preset and a notice in Portuguese", () => {
    withEnv({ CNN_COURSE_DATA: undefined, CNN_COURSE_CACHE: emptyCache, CNN_COURSE_PRESET: undefined }, () => {
      assert.deepEqual(xrayReadDir(), { dir, sample: true });
      assert.equal(presetFromEnv().name, "sample");
      assert.equal(listXrayFiles().length, 400);
      const notice = xraySampleNotice() ?? "";
      assert.match(notice, /amostra de radiografias que vem com o curso/);
      // The figures it quotes are those of the newest sample-seeds table in docs/results.
      const table = JSON.parse(fs.readFileSync(latestResultsFile("sample-seeds") ?? "missing table", "utf8")) as SeedTable;
      const br = (v: number): string => v.toFixed(2).replace(".", ",");
      const { accuracy, recall } = table.summary;
      assert.ok(notice.includes(`acurácia vai de ${br(accuracy.min)} a ${br(accuracy.max)} (mediana ${br(accuracy.median)})`), notice);
      assert.ok(notice.includes(`revocação de ${br(recall.min)} a ${br(recall.max)}`), notice);
      assert.match(notice, /npm run download/);
      // ...and the classroom figures those of the newest classroom-seeds table.
      const classroom = JSON.parse(fs.readFileSync(latestResultsFile("classroom-seeds") ?? "missing table", "utf8")) as SeedTable;
      assert.ok(notice.includes(`preset classroom dá acurácia de ${br(classroom.summary.accuracy.min)} a ${br(classroom.summary.accuracy.max)} e revocação de ` +
        `${br(classroom.summary.recall.min)} a ${br(classroom.summary.recall.max)}`), notice);
    });
  });

  it("changes nothing when the data is configured (CNN_COURSE_DATA) or downloaded", () => {
    withEnv({ CNN_COURSE_DATA: emptyCache, CNN_COURSE_PRESET: undefined }, () => {
      assert.deepEqual(xrayReadDir(), { dir: emptyCache, sample: false });
      assert.equal(presetFromEnv().name, "classroom");
      assert.equal(xraySampleNotice(), null);
    });
    const downloaded = path.join(emptyCache, "data", "chest_xray", "train");
    fs.mkdirSync(downloaded, { recursive: true });
    withEnv({ CNN_COURSE_DATA: undefined, CNN_COURSE_CACHE: emptyCache, CNN_COURSE_PRESET: undefined }, () => {
      assert.equal(xrayReadDir().sample, false);
      assert.equal(presetFromEnv().name, "classroom");
    });
  });
});

describeWithXrayData("rebuilding the X-ray sample from the full copy", () => {
  it("gives byte-identical files (npm run sample with its defaults)", async function () {
    this.timeout(300_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "cnn-sample-"));
    try {
      const report = await buildXraySample({ ...SAMPLE_DEFAULTS, source: xrayDataDir(), out: path.join(out, "s") });
      assert.equal(report.files, 400);
      const digest = (root: string): string[] => filesUnder(root).map((f) =>
        `${path.relative(root, f)} ${crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex")}`);
      assert.deepEqual(digest(path.join(out, "s")), digest(xraySampleDir()));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
