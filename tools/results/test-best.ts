// npm run results -- --run DIR --test-best: the test metrics of a run's best checkpoint so far,
// printed, not written. For a run that is still going or was stopped, where report.json has no
// test evaluation yet; the committed result stays the one of the finished run.
import { initEngine } from "cnn-course-engine";
import { bestCheckpointDir, TrainingState } from "../../lib/pneumonia/training/fit";
import { loadCheckpoint } from "../../lib/pneumonia/training/checkpoint";
import { evaluateModel } from "../../lib/pneumonia/training/evaluate";
import { loadXrayData, selectXrayFiles, TestMetrics, testMetrics } from "../../lib/pneumonia/training/pipeline";
import { getPreset, isPresetName } from "../../lib/pneumonia/training/presets";

export async function testBestCheckpoint(runDir: string, dataDir?: string): Promise<{ bestEpoch: number } & TestMetrics> {
  await initEngine({ quiet: true });
  const best = await loadCheckpoint<TrainingState>(bestCheckpointDir(runDir));
  const name = String(best.state.meta.preset ?? "");
  if (!isPresetName(name)) throw new Error(`${runDir}/best não diz de que preset é (meta.preset = "${name}").`);
  const preset = { ...getPreset(name), seed: best.state.seed };
  const data = await loadXrayData(preset, selectXrayFiles(preset, dataDir));
  const t = testMetrics(await evaluateModel(best.model, data.test, { progressLabel: null }));
  best.model.dispose();
  return { bestEpoch: best.state.bestEpoch, ...t };
}
