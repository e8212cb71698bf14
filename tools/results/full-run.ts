// npm run results: a run directory of `npm run train` (report.json, or the `last`
// checkpoint of a run that is still going or was stopped) becomes data in docs/results:
// <name>-<date>.json (history, test metrics, confusion matrix, engine, threads, wall time,
// machine) and its pictures <name>-<date>-curves.svg and -confusion.svg.
import * as fs from "fs";
import * as path from "path";
import { machineInfo } from "../../lib/common/machine";
import { figureToSvg } from "../../lib/view/plots";
import { EngineInfo } from "cnn-course-engine";
import { findCheckpoint } from "../../lib/pneumonia/training/checkpoint";
import { lastCheckpointDir, TrainingState } from "../../lib/pneumonia/training/fit";
import { TrainingReport, writeJsonAtomic } from "../../lib/pneumonia/training/pipeline";
import { getPreset, isPresetName, TrainingPreset } from "../../lib/pneumonia/training/presets";
import {
  FullRunResults, historyFromLogs, KERAS_PUBLISHED, PYTORCH_YARDSTICK, resultsDir, resultsFigures,
} from "../../lib/pneumonia/training/results";

/** Threads the engine computed with: as the engine reports it, else 1 for wasm (single-threaded in Node). */
export function engineThreads(engine: EngineInfo | null): number | null {
  if (!engine) return null;
  const reported = (engine as EngineInfo & { threads?: unknown }).threads;
  if (typeof reported === "number") return reported;
  return engine.backend === "wasm" || engine.backend === "cpu" ? 1 : null;
}

function statusText(r: Pick<FullRunResults, "status" | "epochs" | "bestEpoch" | "stoppedEarly"> & { maxEpochs: number | null }): string {
  const best = `melhor val_loss na época ${r.bestEpoch}`;
  if (r.status === "partial") {
    return `parada ou ainda em andamento na época ${r.epochs}${r.maxEpochs ? ` (de até ${r.maxEpochs})` : ""}, ${best}; sem avaliação no teste`;
  }
  return `${r.epochs} épocas${r.stoppedEarly ? " (parada antecipada)" : ""}, ${best}, pesos dessa época restaurados`;
}

function fromReport(runDir: string, report: TrainingReport): Omit<FullRunResults, "generatedAt" | "command" | "reference" | "kind"> {
  const status = report.test && !report.interrupted ? "complete" : "partial";
  const base = { status, epochs: report.history.length, bestEpoch: report.bestEpoch, stoppedEarly: report.stoppedEarly } as const;
  return {
    ...base, statusText: statusText({ ...base, maxEpochs: report.preset.epochs }), runDir, preset: report.preset,
    history: historyFromLogs(report.history),
    epochDetails: report.history.map((l) => ({ epoch: l.epoch, learningRate: l.learningRate, seconds: l.seconds })),
    test: report.test, engine: report.engine, threads: report.threads ?? engineThreads(report.engine),
    wallSeconds: report.seconds.total, cpuSeconds: report.seconds.cpu ?? null,
    code: report.code ?? null, machine: report.machine ?? machineInfo(), machineSource: report.machine ? "run" : "results command",
    startedAt: report.startedAt, finishedAt: report.finishedAt,
  };
}

function fromLastCheckpoint(runDir: string): Omit<FullRunResults, "generatedAt" | "command" | "reference" | "kind"> {
  const dir = findCheckpoint(lastCheckpointDir(runDir));
  if (!dir) {
    throw new Error(`${runDir} não tem report.json nem um checkpoint last/ completo: a execução ainda não terminou nenhuma época ` +
      "(ou a pasta está errada; use a de --out do npm run train).");
  }
  const state = JSON.parse(fs.readFileSync(path.join(dir, "state.json"), "utf8")) as TrainingState;
  const name = String(state.meta.preset ?? "");
  const preset: TrainingPreset | null = isPresetName(name) ? { ...getPreset(name), seed: state.seed } : null;
  const base = { status: "partial", epochs: state.history.length, bestEpoch: state.bestEpoch, stoppedEarly: false } as const;
  return {
    ...base, statusText: statusText({ ...base, maxEpochs: preset?.epochs ?? null }), runDir, preset,
    history: historyFromLogs(state.history),
    epochDetails: state.history.map((l) => ({ epoch: l.epoch, learningRate: l.learningRate, seconds: l.seconds })),
    test: null, engine: null, threads: null,
    wallSeconds: state.history.reduce((s, l) => s + l.seconds, 0), cpuSeconds: null,
    code: null, machine: machineInfo(), machineSource: "results command",
    startedAt: null, finishedAt: fs.statSync(path.join(dir, "state.json")).mtime.toISOString(),
  };
}

/** The results of the run in `runDir`: complete from report.json, partial from last/ while it runs. */
export function runResults(runDir: string, command = ""): FullRunResults {
  if (!fs.existsSync(runDir)) throw new Error(`A pasta da execução ${runDir} não existe (é a de --out do npm run train).`);
  const reportFile = path.join(runDir, "report.json");
  const report = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, "utf8")) as TrainingReport : null;
  // A report older than the last checkpoint belongs to an earlier run in the same folder (then resumed).
  const last = findCheckpoint(lastCheckpointDir(runDir));
  const stale = report && last && fs.statSync(path.join(last, "state.json")).mtimeMs > fs.statSync(reportFile).mtimeMs + 1000;
  const body = report && !stale ? fromReport(runDir, report) : fromLastCheckpoint(runDir);
  return {
    kind: "pneumonia-run-results", ...body, reference: { keras: KERAS_PUBLISHED, pytorch: PYTORCH_YARDSTICK },
    generatedAt: new Date().toISOString(), command,
  };
}

export interface WrittenResults { json: string; curves: string; confusion: string | null }

/** Writes <name>-<date>.json and its SVG pictures to `outDir`; the date is the run's last epoch (UTC). */
export function writeRunResults(results: FullRunResults, outDir = resultsDir(), name = "full"): WrittenResults {
  const date = (results.finishedAt ?? results.generatedAt).slice(0, 10);
  const stem = path.join(outDir, `${name}-${date}`);
  fs.mkdirSync(outDir, { recursive: true });
  const figures = resultsFigures(results);
  const written: WrittenResults = { json: `${stem}.json`, curves: `${stem}-curves.svg`, confusion: figures.confusion ? `${stem}-confusion.svg` : null };
  writeJsonAtomic(written.json, results);
  fs.writeFileSync(written.curves, figureToSvg(figures.curves));
  if (figures.confusion && written.confusion) fs.writeFileSync(written.confusion, figureToSvg(figures.confusion));
  else fs.rmSync(`${stem}-confusion.svg`, { force: true });
  return written;
}
