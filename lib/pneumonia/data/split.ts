// The Keras example's data bookkeeping: its own 80/20 train/validation split of the training
// images (train and val folders merged, shuffled with a seed), the test split kept apart, and the
// two numbers that correct for the imbalance (about 3 PNEUMONIA per NORMAL): the initial bias of
// the output neuron and the class weights.
import { seededRandom, shuffled } from "../../common/random";
import { countLabels, LabelList, XrayFile } from "./xray-files";
import { noteReferenceCall } from "../../check/reference-use";
import { formatBR } from "../../common/format";

export interface TrainValSplit<T> {
  train: T[];
  val: T[];
  test: T[];
}

export interface SplitOptions {
  /** Seed of the shuffle: the same seed gives the same split. */
  seed: number;
  /** Fraction of the merged train+val images that goes to validation (default 0.2, as Keras' 80/20). */
  valFraction?: number;
}

/**
 * Merges the train and val folders, shuffles them with `seed` and splits them (1 - valFraction) /
 * valFraction into training and validation; the test files are returned apart, untouched.
 */
export function splitTrainVal<T extends Pick<XrayFile, "path" | "split">>(files: readonly T[], opts: SplitOptions): TrainValSplit<T> {
  const { seed, valFraction = 0.2 } = opts ?? ({} as SplitOptions);
  if (!Number.isInteger(seed)) throw new Error(`splitTrainVal: passe { seed } inteiro (recebi ${String(seed)}) para a divisão ser repetível`);
  if (!(valFraction > 0 && valFraction < 1)) throw new Error(`splitTrainVal: valFraction deve estar entre 0 e 1 (exclusive), recebi ${valFraction}`);
  // Sorted first, so the split depends only on the set of files and the seed, not on their order.
  const pool = files.filter((f) => f.split === "train" || f.split === "val")
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const test = files.filter((f) => f.split === "test");
  if (pool.length < 2) throw new Error(`splitTrainVal: preciso de pelo menos 2 imagens de treino para dividir (recebi ${pool.length})`);
  const mixed = shuffled(pool, seededRandom(seed));
  const trainCount = Math.min(pool.length - 1, Math.max(1, Math.round(pool.length * (1 - valFraction))));
  return { train: mixed.slice(0, trainCount), val: mixed.slice(trainCount), test };
}

function countsOf(labels: LabelList, who: string): { normal: number; pneumonia: number; total: number } {
  const counts = countLabels(labels);
  if (counts.normal === 0 || counts.pneumonia === 0) {
    throw new Error(`${who}: preciso de exemplos das duas classes (NORMAL: ${counts.normal}, PNEUMONIA: ${counts.pneumonia})`);
  }
  return counts;
}

/**
 * Keras' class weights: weight_for_0 = (1 / NORMAL) * total / 2, weight_for_1 = (1 / PNEUMONIA) * total / 2,
 * so that each class contributes to the loss as if the two were equally frequent.
 */
export function classWeights(labels: LabelList): { 0: number; 1: number } {
  noteReferenceCall("classWeights");
  const { normal, pneumonia, total } = countsOf(labels, "classWeights");
  return { 0: (1 / normal) * total / 2, 1: (1 / pneumonia) * total / 2 };
}

/** The output bias that makes the untrained model predict the class frequency: log(PNEUMONIA / NORMAL). */
export function initialBias(labels: LabelList): number {
  const { normal, pneumonia } = countsOf(labels, "initialBias");
  return Math.log(pneumonia / normal);
}

export interface SplitSummaryRow {
  split: string;
  normal: number;
  pneumonia: number;
  total: number;
}

/** NORMAL / PNEUMONIA / total of each part of a split, for a table in the notebook. */
export function splitSummary<T extends Pick<XrayFile, "label">>(split: TrainValSplit<T>): SplitSummaryRow[] {
  return (["train", "val", "test"] as const).map((name) => ({ split: name, ...countLabels(split[name]) }));
}

/** How the training pool is cut into training and validation: by image (Keras) or by patient. */
export type SplitKind = "image" | "patient";

/**
 * The patient of a Kermany file name: `person1_bacteria_1.jpeg` → "person1", `IM-0115-0001.jpeg` →
 * "IM-0115", `NORMAL2-IM-0173-0001-0002.jpeg` → "NORMAL2-IM-0173" (several X-rays of one child share it);
 * null for a name in neither pattern.
 */
export function patientId(file: string): string | null {
  const name = file.split(/[\\/]/).pop() ?? file;
  const person = /^(person\d+)_/i.exec(name);
  if (person) return person[1].toLowerCase();
  const normal = /^((?:NORMAL2-)?IM-\d+)-/i.exec(name);
  return normal ? normal[1].toUpperCase() : null;
}

/**
 * The same 80/20 cut, but by patient: the patients of the merged train and val folders are shuffled
 * with `seed` and given to validation until it holds valFraction of the images, so no child has
 * X-rays on both sides. A name without a patient (see patientId) counts as its own patient.
 */
export function splitTrainValByPatient<T extends Pick<XrayFile, "path" | "split">>(files: readonly T[], opts: SplitOptions): TrainValSplit<T> {
  const { seed, valFraction = 0.2 } = opts ?? ({} as SplitOptions);
  splitTrainVal(files, { seed, valFraction }); // the same checks
  const groups = new Map<string, T[]>();
  // Sorted first (as splitTrainVal), so the split depends only on the set of files and the seed.
  const pool = files.filter((x) => x.split === "train" || x.split === "val").sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of pool) {
    const key = patientId(f.path) ?? f.path;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const keys = shuffled([...groups.keys()].sort(), seededRandom(seed));
  const total = [...groups.values()].reduce((s, g) => s + g.length, 0), wanted = Math.round(total * valFraction);
  const train: T[] = [], val: T[] = [];
  for (const key of keys) (val.length < wanted ? val : train).push(...(groups.get(key) as T[]));
  if (train.length === 0) throw new Error("splitTrainValByPatient: todas as imagens foram para a validação (pacientes demais com muitas imagens?)");
  // Shuffled again, so a patient's X-rays do not sit side by side in the lists.
  return { train: shuffled(train, seededRandom(seed + 1)), val: shuffled(val, seededRandom(seed + 2)), test: files.filter((f) => f.split === "test") };
}

/** Patients with X-rays in both `a` and `b` (by patientId; names without a patient are not counted). */
export function sharedPatients(a: readonly Pick<XrayFile, "path">[], b: readonly Pick<XrayFile, "path">[]): number {
  const inA = new Set(a.map((f) => patientId(f.path)).filter((p): p is string => p !== null));
  return new Set(b.map((f) => patientId(f.path)).filter((p): p is string => p !== null && inA.has(p))).size;
}

/** Keras' image split or the patient split, by name. */
export function splitTrainValBy<T extends Pick<XrayFile, "path" | "split">>(kind: SplitKind, files: readonly T[], opts: SplitOptions): TrainValSplit<T> {
  if (kind !== "image" && kind !== "patient") throw new Error(`divisão "${String(kind)}" desconhecida: use "image" (por imagem, como o Keras) ou "patient" (por paciente).`);
  return kind === "patient" ? splitTrainValByPatient(files, opts) : splitTrainVal(files, opts);
}

/** The Kaggle copy's counts (Kermany et al.), which the Keras example's TFRecords hold too (train + val = 1349 / 3883). */
export const KAGGLE_XRAY_COUNTS = {
  train: { normal: 1341, pneumonia: 3875 }, val: { normal: 8, pneumonia: 8 }, test: { normal: 234, pneumonia: 390 },
} as const;

/**
 * Lines in Portuguese: how many X-rays this copy has per part and class, beside the Kaggle copy's,
 * and why they may differ (the shared course copy dropped byte-identical duplicates; the downloader
 * keeps one file per name; the sample is a small subset).
 */
export function describeXrayCopy(files: readonly Pick<XrayFile, "split" | "label">[]): string[] {
  const count = (split: string, label: number): number => files.filter((f) => f.split === split && f.label === label).length;
  const lines = (["train", "val", "test"] as const).map((s) => {
    const k = KAGGLE_XRAY_COUNTS[s], n = count(s, 0), p = count(s, 1);
    const same = n === k.normal && p === k.pneumonia;
    return `${s.padEnd(5)}: ${formatBR(n)} NORMAL / ${formatBR(p)} PNEUMONIA (Kaggle: ${formatBR(k.normal)} / ${formatBR(k.pneumonia)})` +
      (same ? "" : `, ${formatBR(k.normal + k.pneumonia - n - p)} a menos`);
  });
  const total = files.length, kaggle = 5856;
  const why = total === kaggle
    ? "Mesmas contagens do Kaggle (e dos TFRecords do exemplo do Keras): duplicatas incluídas."
    : total === kaggle - 32
      ? "A cópia compartilhada do curso: 32 arquivos idênticos byte a byte a outro (a mesma radiografia com dois ou três nomes) foram tirados, 6 deles do teste; a lista está no SOURCES.md dos dados."
      : total < 1000
        ? "A amostra que vem com o curso (data/chest-xray-sample): um subconjunto pequeno."
        : "Outra cópia: npm run download guarda um arquivo por nome (um nome repetido fica com o primeiro registro, com um aviso); compare com as contagens do Kaggle acima.";
  return [...lines, why];
}
