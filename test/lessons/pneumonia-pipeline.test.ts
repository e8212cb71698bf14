// The pneumonia example end to end on the real chest X-rays, through the command line
// (npm run train) with the smoke preset: Ctrl-C during epoch 2 stops cleanly with a
// complete checkpoint of epoch 1, --resume finishes the run, the training loss goes down
// and report.json holds the history and the test metrics.
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCheckpoint } from "../../lib/pneumonia/training/checkpoint";
import { TrainingReport } from "../../lib/pneumonia/training/pipeline";
import { PRESETS } from "../../lib/pneumonia/training/presets";
import { overridesTag, parseTrainArgs } from "../../scripts/train";
import { describeWithXrayData } from "../helpers/data";

const TRAIN = path.join(__dirname, "..", "..", "scripts", "train.ts");

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs npm run train's script; `interrupt` is polled and, once true, the child gets SIGINT. */
function train(args: string[], interrupt?: () => boolean): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), TRAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "", sent = false;
    child.stdout.on("data", (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    const timer = interrupt ? setInterval(() => {
      if (!sent && interrupt()) {
        sent = true;
        child.kill("SIGINT");
      }
    }, 200) : null;
    child.on("error", reject);
    child.on("exit", (code) => {
      if (timer) clearInterval(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("npm run train", () => {
  it("parses its arguments and rejects unknown ones with the usage", () => {
    assert.deepEqual(parseTrainArgs(["--preset", "smoke", "--resume"]), { preset: "smoke", resume: true, overrides: {} });
    const seeds = parseTrainArgs(["--seeds", "1-3", "--image-size", "48", "--lr", "0.005", "--warmup", "100"]);
    assert.deepEqual([seeds.seeds, seeds.overrides], [[1, 2, 3], { imageSize: 48, learningRate: 0.005, warmupSteps: 100 }]);
    assert.equal(overridesTag(seeds.overrides), "48px-lr0.005-warm100");
    assert.throws(() => parseTrainArgs(["--image-size", "40.5"]), /imageSize deve ser um inteiro > 0 \(recebi 40.5\)/);
    assert.throws(() => parseTrainArgs(["--seeds", "1-2", "--resume"]), /--seeds and --resume cannot be combined/);
    assert.equal(parseTrainArgs(["--out", "x"]).out, path.resolve("x"));
    assert.throws(() => parseTrainArgs(["--preset", "huge"]), /Preset desconhecido "huge": use full, classroom, smoke/);
    assert.throws(() => parseTrainArgs(["--epoch", "3"]), /unknown argument --epoch\nusage: npm run train/);
  });
});

describeWithXrayData("pneumonia pipeline on the real X-rays (smoke preset, command line)", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "pneumonia-smoke-"));
  const lastState = path.join(out, "last", "state.json");

  it("stops on Ctrl-C with a complete checkpoint, resumes, lowers the loss and reports the test metrics", async () => {
    const first = await train(["--preset", "smoke", "--out", out], () => fs.existsSync(lastState));
    assert.equal(first.code, 130, first.stderr);
    assert.match(first.stdout, /Interrupted: continue with npm run train -- --preset smoke --resume/);
    const interrupted = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as TrainingReport;
    assert.equal(interrupted.interrupted, true);
    assert.equal(interrupted.test, null);
    assert.equal(interrupted.history.length, 1);
    const ck = await loadCheckpoint<{ epochsDone: number }>(path.join(out, "last"));
    assert.equal(ck.state.epochsDone, 1);
    ck.model.dispose();

    const second = await train(["--preset", "smoke", "--out", out, "--resume"]);
    assert.equal(second.code, 0, second.stderr);
    const report = JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as TrainingReport;
    assert.equal(report.resumedFromEpoch, 1);
    assert.equal(report.epochsRun, 1);
    assert.deepEqual(report.history.map((h) => h.epoch), [1, 2]);
    assert.deepEqual(report.history[0], interrupted.history[0]);
    assert.ok(report.history[1].loss < report.history[0].loss, `training loss ${report.history.map((h) => h.loss)}`);

    const limit = PRESETS.smoke.limit!;
    assert.deepEqual([report.counts.train.total, report.counts.val.total, report.counts.test.total], [limit.train, limit.val, limit.test]);
    assert.ok(report.counts.test.normal > 0 && report.counts.test.pneumonia > 0);
    const { normal, pneumonia, total } = report.counts.train;
    assert.ok(Math.abs(report.classWeights[0] - total / (2 * normal)) < 1e-12);
    assert.ok(Math.abs(report.initialBias - Math.log(pneumonia / normal)) < 1e-12);
    const t = report.test!;
    const [[tn, fp], [fn, tp]] = t.confusionMatrix;
    assert.equal(tn + fp + fn + tp, limit.test);
    assert.deepEqual([tn + fp, fn + tp], [report.counts.test.normal, report.counts.test.pneumonia]);
    assert.ok(Math.abs(t.accuracy - (tp + tn) / limit.test) < 1e-12);
    assert.ok(Math.abs(t.recall - tp / (tp + fn)) < 1e-12);
    assert.ok(Number.isFinite(t.loss) && t.loss > 0);
    assert.match(second.stdout, /Test: loss [0-9.]+ - accuracy [0-9.]+ - precision [0-9.]+ - recall [0-9.]+/);
  });
});
