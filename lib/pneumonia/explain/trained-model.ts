// The model the student trained in the pneumonia notebook (09): its best checkpoint, else
// the one `npm run train` wrote, else one this notebook trained before; if there is none,
// the preset is trained here, the same way notebook 09 does it, and saved for next time.
import * as tf from "@tensorflow/tfjs";
import { cacheDir } from "../../common/config";
import { formatBR } from "../../common/format";
import { buildModel } from "../model/build";
import { findCheckpoint, loadCheckpoint } from "../training/checkpoint";
import { bestCheckpointDir, trainModel, TrainingState } from "../training/fit";
import { defaultRunDir, trainOptionsFor, XrayData } from "../training/pipeline";
import { TrainingPreset } from "../training/presets";

export interface CheckpointSource {
  /** Who wrote it, in Portuguese. */
  who: string;
  /** The run folder (its best/ subfolder holds the checkpoint). */
  dir: string;
}

/** Where to look, in order: notebook 09's run, `npm run train`'s run, this notebook's own run. */
export function checkpointSources(preset: TrainingPreset): CheckpointSource[] {
  return [
    { who: "o notebook 09 (pneumonia)", dir: cacheDir("runs", `notebook-${preset.name}`) },
    { who: `npm run train -- --preset ${preset.name}`, dir: defaultRunDir(preset) },
    { who: "este notebook (um treino anterior)", dir: cacheDir("runs", `explain-${preset.name}`) },
  ];
}

export interface TrainedModel {
  model: tf.LayersModel;
  /** The checkpoint folder loaded or written. */
  dir: string;
  /** True when no checkpoint existed and the preset was trained now. */
  trainedNow: boolean;
  bestEpoch: number;
  epochs: number;
  bestValLoss: number;
  /** What was loaded or trained, in Portuguese (the notebook prints it). */
  description: string;
}

function describe(source: string, dir: string, state: { bestEpoch: number; epochsDone: number; bestValLoss: number }): string {
  return `${source}: melhor época ${state.bestEpoch} de ${state.epochsDone} (val_loss ${formatBR(state.bestValLoss, 4)}), em ${dir}`;
}

/** The first checkpoint of `sources` made for this preset's image size, or null. */
export async function loadBestCheckpoint(preset: TrainingPreset, sources = checkpointSources(preset)): Promise<TrainedModel | null> {
  for (const source of sources) {
    const dir = bestCheckpointDir(source.dir);
    if (!findCheckpoint(dir)) continue;
    let loaded: Awaited<ReturnType<typeof loadCheckpoint<TrainingState>>>;
    try {
      loaded = await loadCheckpoint<TrainingState>(dir);
    } catch (err) {
      // Another kernel may be rewriting it right now (notebook 09 training): try the next one.
      console.log(`(não consegui ler ${dir}: ${(err as Error).message}; tento o próximo)`);
      continue;
    }
    const shape = loaded.model.inputs[0].shape;
    if (shape[1] !== preset.imageSize || shape[2] !== preset.imageSize) {
      console.log(`(ignorei ${dir}: modelo para ${shape[1]}x${shape[2]}, o preset ${preset.name} usa ${preset.imageSize}x${preset.imageSize})`);
      loaded.model.dispose();
      continue;
    }
    const s = loaded.state;
    return {
      model: loaded.model, dir: loaded.dir, trainedNow: false, bestEpoch: s.bestEpoch, epochs: s.epochsDone, bestValLoss: s.bestValLoss,
      description: `Modelo carregado de um checkpoint; origem: ${describe(source.who, loaded.dir, s)}.`,
    };
  }
  return null;
}

/** The best checkpoint for the preset, or a model trained now (as in notebook 09) when there is none. */
export async function loadOrTrainModel(preset: TrainingPreset, data: XrayData): Promise<TrainedModel> {
  const found = await loadBestCheckpoint(preset);
  if (found) return found;
  const own = checkpointSources(preset)[2].dir;
  console.log(`Nenhum checkpoint do preset ${preset.name}: treinando agora, como no notebook 09 (${preset.epochs} épocas, ` +
    `imagens ${preset.imageSize}x${preset.imageSize}). Os checkpoints ficam em ${own}; da próxima vez ele é carregado.`);
  const model = buildModel(preset.imageSize, { seed: preset.seed });
  const result = await trainModel(model, data.train, data.val, trainOptionsFor(preset, data.train, { checkpointDir: own }));
  result.optimizer.dispose();
  const state = { bestEpoch: result.bestEpoch, epochsDone: result.history.length, bestValLoss: result.bestValLoss };
  return {
    model, dir: bestCheckpointDir(own), trainedNow: true, bestEpoch: state.bestEpoch, epochs: state.epochsDone, bestValLoss: state.bestValLoss,
    description: `Modelo treinado agora (não havia checkpoint): ${describe("este notebook", bestCheckpointDir(own), state)}.`,
  };
}
