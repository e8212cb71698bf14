// The three ways to run the pneumonia example: the Keras settings (`full`), a version that
// fits a class on a 2-core laptop (`classroom`, the notebook's default) and a quick check
// for CI (`smoke`). The notebook and `npm run train` read the same presets.

export type PresetName = "full" | "classroom" | "smoke";

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
  /** Why these settings, in Portuguese (shown in the notebook and by the command line). */
  why: string;
}

export const PRESETS: Record<PresetName, TrainingPreset> = {
  full: {
    name: "full", imageSize: 180, batchSize: 25, epochs: 100, patience: 10, seed: 42, limit: null,
    why: "Os ajustes do exemplo do Keras: imagens 180x180, lotes de 25, até 100 épocas com parada antecipada (paciência 10). " +
      "Sem TPU, cada época leva vários minutos aqui: rode pela linha de comando (npm run train -- --preset full).",
  },
  classroom: {
    name: "classroom", imageSize: 40, batchSize: 25, epochs: 8, patience: 10, seed: 42, limit: null,
    why: "Todas as imagens, reduzidas a 40x40, e 8 épocas. Num computador de 2 núcleos, cada passo em 180x180 custa cerca " +
      "de 20 vezes mais que em 40x40: 8 épocas em 180x180 levariam horas, aqui cabem em menos de 15 minutos (com as imagens já " +
      "preparadas em disco) e, com a semente 42, chegam a mais de 80% de acurácia e 90% de revocação no teste.",
  },
  smoke: {
    name: "smoke", imageSize: 48, batchSize: 25, epochs: 2, patience: 10, seed: 42,
    limit: { train: 200, val: 50, test: 100 },
    why: "Teste rápido (CI): 200 imagens de treino, 50 de validação e 100 de teste em 48x48, 2 épocas. " +
      "Mostra que tudo funciona de ponta a ponta; a acurácia não significa nada com tão pouco treino.",
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

/** The preset named by env CNN_COURSE_PRESET (default: classroom). CI sets it to smoke. */
export function presetFromEnv(): TrainingPreset {
  const name = process.env.CNN_COURSE_PRESET?.trim();
  if (!name) return PRESETS.classroom;
  if (!isPresetName(name)) {
    throw new Error(`CNN_COURSE_PRESET="${name}" não é um preset: use ${Object.keys(PRESETS).join(", ")} (ou deixe vazio para classroom).`);
  }
  return PRESETS[name];
}
