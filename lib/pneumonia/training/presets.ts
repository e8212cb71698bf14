// The three ways to run the pneumonia example: the Keras settings (`full`), a version that
// fits a class on a 2-core laptop (`classroom`, the notebook's default) and a quick check
// for CI (`smoke`), and one for the small sample the repository ships (`sample`, chosen when no
// full copy is configured). The notebook and `npm run train` read the same presets.
import { xrayReadDir } from "../../common/config";
import { ExponentialDecayConfig, KERAS_EXAMPLE_SCHEDULE } from "./schedule";
import { ReplicaMode } from "cnn-course-engine";
import type { SplitKind } from "../data/split";
import type { ModelHead } from "../model/build";

export type PresetName = "full" | "classroom" | "smoke" | "sample";

export interface TrainingPreset {
  name: PresetName;
  /** Side of the square input images in pixels (the Keras example: 180). */
  imageSize: number;
  batchSize: number;
  /** Maximum number of epochs (early stopping may end sooner). */
  epochs: number;
  /** Early stopping patience in epochs (the Keras example: 10). */
  patience: number;
  /** Seed of the train/val split, the subsets, the weights, the shuffles and the dropout masks. */
  seed: number;
  /** At most this many images of each part (after the seeded shuffle); null: all of them. */
  limit: { train: number; val: number; test: number } | null;
  /** On several threads: whole-batch BatchNorm and dropout (sync, default) or per replica (Keras on TPU). */
  replicaMode?: ReplicaMode;
  /**
   * After each epoch, BatchNorm's moving statistics recomputed on this many training images under the
   * epoch's weights (recompute-batchnorm.ts); absent: Keras' moving averages, as the example.
   */
  recomputeBatchNormImages?: number;
  /** Training/validation cut: by image (absent: Keras' split) or by patient (no child on both sides). */
  split?: SplitKind;
  /** The model's head: Keras' Flatten → Dense (absent) or global average pooling (a named deviation). */
  head?: ModelHead;
  /** Adam's learning-rate schedule (the Keras example: ExponentialDecay(0.015, 100000, 0.96, staircase)). */
  schedule: ExponentialDecayConfig;
  /** Why these settings, in Portuguese (shown in the notebook and by the command line). */
  why: string;
}

export const PRESETS: Record<PresetName, TrainingPreset> = {
  full: {
    name: "full", imageSize: 180, batchSize: 25, epochs: 100, patience: 10, seed: 42, limit: null,
    schedule: KERAS_EXAMPLE_SCHEDULE,
    why: "Os ajustes do exemplo do Keras: imagens 180x180, lotes de 25 (o exemplo usa 25 × o número de réplicas: 25 num processador, " +
      "como aqui, e 200 no TPU de 8 núcleos que gerou os números publicados), até 100 épocas com parada antecipada (paciência 10). " +
      "Sem TPU, cada época leva vários minutos aqui: rode pela linha de comando (npm run train -- --preset full).",
  },
  classroom: {
    name: "classroom", imageSize: 40, batchSize: 25, epochs: 12, patience: 10, seed: 42, limit: null,
    // Deviations from Keras: lr 0.001 (Adam's own default) instead of the example's 0.015, 12 epochs, and
    // BatchNorm's statistics recomputed after each epoch on 1,000 training images (recompute-batchnorm.ts).
    // With Keras' moving averages, seeds 1-5 gave 4 of 5 in the band (seed 2: accuracy 0.722, an epoch
    // picked on stale statistics that calls nearly every test image PNEUMONIA); recomputed, 5 of 5. Every
    // table: docs/results/classroom-seeds-2026-11-29.json and docs/results/experiments/.
    schedule: { ...KERAS_EXAMPLE_SCHEDULE, initialLearningRate: 0.001 },
    recomputeBatchNormImages: 1000,
    why: "Todas as imagens, reduzidas a 40x40, e 12 épocas, com o otimizador do Keras a uma taxa de aprendizado menor, " +
      "0,001 (o padrão do Adam) em vez de 0,015, e as médias da BatchNormalization recalculadas ao fim de cada época " +
      "em 1.000 imagens de treino (o Keras usa médias móveis; veja a seção 7). Nesta resolução o treino é caótico: " +
      "arredondamentos diferentes mudam o resultado de cada semente; por isso o preset foi medido semente a semente. " +
      "Num computador de 2 núcleos, cada passo em 180x180 custa cerca de 20 vezes mais que em 40x40: a receita completa " +
      "leva horas, este preset cabe em minutos (com as imagens já preparadas em disco). " +
      "O que ele dá no teste para as sementes 1 a 5 está no README e no fim deste notebook " +
      "(docs/results/classroom-seeds-<data>.json, gerado por npm run train -- --preset classroom --seeds 1-5).",
  },
  smoke: {
    name: "smoke", imageSize: 48, batchSize: 25, epochs: 2, patience: 10, seed: 42,
    limit: { train: 200, val: 50, test: 100 }, schedule: KERAS_EXAMPLE_SCHEDULE,
    why: "Teste rápido (CI): 200 imagens de treino, 50 de validação e 100 de teste em 48x48, 2 épocas. " +
      "Mostra que tudo funciona de ponta a ponta; a acurácia não significa nada com tão pouco treino.",
  },
  sample: {
    // 40 epochs without early stopping (patience 40): with 10 steps per epoch, BatchNorm's moving statistics
    // (momentum 0.99) need ~100 steps to follow the weights, so the validation loss of the first ~10 epochs
    // says little, and patience 10 stopped seeds 2-4 at epoch 11 with epoch 1's weights (always PNEUMONIA).
    name: "sample", imageSize: 48, batchSize: 25, epochs: 40, patience: 40, seed: 42, limit: null, schedule: KERAS_EXAMPLE_SCHEDULE,
    why: "A amostra que vem com o curso (data/chest-xray-sample: 300 radiografias de treino e 100 de teste, 96x96), " +
      "reduzida a 48x48, 40 épocas sem parada antecipada: roda em cerca de um minuto, sem baixar nada. Com só 10 passos " +
      "por época, as médias móveis da BatchNormalization levam umas 10 épocas para acompanhar os pesos, e a perda de " +
      "validação do começo não diz muito; com a paciência 10 do Keras, 3 das sementes 1 a 5 paravam na época 11 com os " +
      "pesos da época 1 (o modelo dizia PNEUMONIA para tudo). O que as sementes 1 a 5 dão no teste: " +
      "docs/results/sample-seeds-<data>.json (npm run train -- --preset sample --seeds 1-5).",
  },
};

export function isPresetName(name: string): name is PresetName {
  return Object.prototype.hasOwnProperty.call(PRESETS, name);
}

export function getPreset(name: string): TrainingPreset {
  if (!isPresetName(name)) {
    throw new Error(`Preset desconhecido "${name}": use ${Object.keys(PRESETS).join(", ")}.`);
  }
  return PRESETS[name];
}

/**
 * The preset named by env CNN_COURSE_PRESET; unset: classroom, or sample when the course reads the
 * repository's sample (no full copy configured). CI sets it to smoke.
 */
export function presetFromEnv(): TrainingPreset {
  const name = process.env.CNN_COURSE_PRESET?.trim();
  if (!name) return xrayReadDir().sample ? PRESETS.sample : PRESETS.classroom;
  if (!isPresetName(name)) {
    throw new Error(`CNN_COURSE_PRESET="${name}" não é um preset: use ${Object.keys(PRESETS).join(", ")} (ou deixe vazio para classroom, ou sample sem os dados completos).`);
  }
  return PRESETS[name];
}

/** Settings a command line may change in a preset (experiments; recorded in every report). */
export interface PresetOverrides {
  imageSize?: number;
  epochs?: number;
  patience?: number;
  /** The global batch (split across the data-parallel replicas). */
  batchSize?: number;
  learningRate?: number;
  warmupSteps?: number;
  /** 0: Keras' moving averages. */
  recomputeBatchNormImages?: number;
  seed?: number;
  replicaMode?: ReplicaMode;
  split?: SplitKind;
  head?: ModelHead;
}

/** `preset` with `overrides` applied; the name stays, the report records the values used. */
export function withOverrides(preset: TrainingPreset, overrides: PresetOverrides): TrainingPreset {
  const positive = (v: number | undefined, what: string, integer: boolean): void => {
    if (v !== undefined && (!(v > 0) || (integer && !Number.isInteger(v)))) {
      throw new Error(`${what} deve ser ${integer ? "um inteiro " : "um número "}> 0 (recebi ${v}).`);
    }
  };
  positive(overrides.imageSize, "imageSize", true);
  positive(overrides.epochs, "epochs", true);
  positive(overrides.patience, "patience", true);
  positive(overrides.batchSize, "batchSize", true);
  positive(overrides.learningRate, "learningRate", false);
  if (overrides.recomputeBatchNormImages !== undefined && !(Number.isInteger(overrides.recomputeBatchNormImages) && overrides.recomputeBatchNormImages >= 0)) {
    throw new Error(`recomputeBatchNormImages deve ser um inteiro >= 0 (recebi ${overrides.recomputeBatchNormImages}).`);
  }
  if (overrides.warmupSteps !== undefined && !(Number.isInteger(overrides.warmupSteps) && overrides.warmupSteps >= 0)) {
    throw new Error(`warmupSteps deve ser um inteiro >= 0 (recebi ${overrides.warmupSteps}).`);
  }
  const schedule: ExponentialDecayConfig = {
    ...preset.schedule,
    ...(overrides.learningRate !== undefined ? { initialLearningRate: overrides.learningRate } : {}),
    ...(overrides.warmupSteps !== undefined ? { warmupSteps: overrides.warmupSteps } : {}),
  };
  return {
    ...preset,
    imageSize: overrides.imageSize ?? preset.imageSize,
    epochs: overrides.epochs ?? preset.epochs,
    patience: overrides.patience ?? preset.patience,
    batchSize: overrides.batchSize ?? preset.batchSize,
    replicaMode: overrides.replicaMode ?? preset.replicaMode,
    seed: overrides.seed ?? preset.seed,
    recomputeBatchNormImages: overrides.recomputeBatchNormImages ?? preset.recomputeBatchNormImages,
    ...(overrides.split ?? preset.split ? { split: overrides.split ?? preset.split } : {}),
    ...(overrides.head ?? preset.head ? { head: overrides.head ?? preset.head } : {}),
    schedule,
  };
}

/** How a preset departs from the Keras example's training settings (empty for `full`). */
export function deviationsFromKeras(preset: TrainingPreset): string[] {
  const keras = PRESETS.full, out: string[] = [];
  if (preset.imageSize !== keras.imageSize) out.push(`imagens ${preset.imageSize}x${preset.imageSize} (Keras: 180x180)`);
  if (preset.patience !== keras.patience) out.push(`paciência ${preset.patience} (Keras: ${keras.patience})`);
  if (preset.epochs !== keras.epochs) out.push(`no máximo ${preset.epochs} épocas (Keras: 100 com parada antecipada)`);
  if (preset.batchSize !== keras.batchSize) out.push(`lotes de ${preset.batchSize} (Keras: 25 por réplica, ou seja 25 × o número de réplicas)`);
  if (preset.replicaMode === "replica") out.push("BatchNorm e dropout por réplica (cada thread normaliza a sua fatia do lote e sorteia as suas máscaras, como o Keras nos 8 núcleos do TPU)");
  if ((preset.recomputeBatchNormImages ?? 0) > 0) {
    out.push(`médias da BatchNorm recalculadas ao fim de cada época em ${preset.recomputeBatchNormImages} imagens de treino, com os pesos da época (Keras: médias móveis, momento 0,99)`);
  }
  if (preset.split === "patient") out.push("treino e validação divididos por paciente, nenhuma criança dos dois lados (Keras: por imagem)");
  if (preset.head === "gap") out.push("cabeça GlobalAveragePooling2D → Dense(1) (Keras: Flatten → Dense 512 → 128 → 64 → 1)");
  if (preset.limit) out.push(`subconjunto de ${preset.limit.train}/${preset.limit.val}/${preset.limit.test} imagens`);
  const s = preset.schedule, k = keras.schedule;
  if (s.initialLearningRate !== k.initialLearningRate) out.push(`taxa de aprendizado inicial ${s.initialLearningRate} (Keras: ${k.initialLearningRate})`);
  if ((s.warmupSteps ?? 0) > 0) out.push(`aquecimento linear da taxa nos primeiros ${s.warmupSteps} passos (Keras: nenhum)`);
  if (s.decaySteps !== k.decaySteps || s.decayRate !== k.decayRate || s.staircase !== k.staircase) out.push("outro decaimento da taxa");
  return out;
}
