// The chest X-ray files on disk, in the Kaggle layout `{train,val,test}/{NORMAL,PNEUMONIA}/*.jpeg`.
// The same layout comes from the Kaggle zip, from the shared course copy and from
// `npm run download` (which unpacks the Keras example's TFRecords into it), so one loader serves all.
import * as path from "path";
import { xrayReadDir } from "../../common/config";
import { platform } from "../../common/platform";
import { noteReferenceCall } from "../../check/reference-use";

export type XraySplit = "train" | "val" | "test";
/** 0 = NORMAL, 1 = PNEUMONIA (the order of the Keras example's CLASS_NAMES). */
export type XrayLabel = 0 | 1;

export interface XrayFile {
  path: string;
  split: XraySplit;
  label: XrayLabel;
}

export const XRAY_SPLITS: readonly XraySplit[] = ["train", "val", "test"];
/** Folder names, indexed by label. */
export const XRAY_CLASS_NAMES = ["NORMAL", "PNEUMONIA"] as const;
export type XrayClassName = (typeof XRAY_CLASS_NAMES)[number];

const IMAGE_EXTENSIONS = new Set([".jpeg", ".jpg", ".png"]);

/** The label of a class folder name ("NORMAL" → 0, "PNEUMONIA" → 1), or null for any other name. */
export function labelOfClassName(name: string): XrayLabel | null {
  const i = (XRAY_CLASS_NAMES as readonly string[]).indexOf(name.toUpperCase());
  return i === 0 || i === 1 ? i : null;
}

/** The folder name of a label. */
export function classNameOf(label: XrayLabel): XrayClassName {
  return XRAY_CLASS_NAMES[label];
}

function missingDataError(dir: string, missing: string[]): Error {
  return new Error(
    `Não encontrei as radiografias em ${dir} (faltam: ${missing.join(", ")}). ` +
    "Esperava o layout do Kaggle: train/ e test/ (val/ é opcional), cada uma com NORMAL/ e PNEUMONIA/. " +
    "Rode `npm run download` para baixar os dados, ou aponte a variável CNN_COURSE_DATA para uma cópia nesse layout.");
}

/**
 * The folder that holds train/ and test/: `dir` itself, or `dir/chest_xray` when `dir` is the
 * folder the Kaggle zip unpacks into.
 */
export function resolveXrayRoot(dir: string): string {
  const nested = path.join(dir, "chest_xray"), files = platform().files;
  if (!files.info(path.join(dir, "train")) && files.info(path.join(nested, "train"))) return nested;
  return dir;
}

export interface ListXrayOptions {
  /**
   * Only these splits, each required with both classes (e.g. ["train"] for the full-resolution
   * copy, which has no test split). Default: all; train and test required, val optional (the Keras
   * example's TFRecords have no val split: the example makes its own from train).
   */
  splits?: readonly XraySplit[];
}

/** Every image file of the data set (default: the configured copy, else the repository's sample), sorted by split, class and name (never file-system order). */
export function listXrayFiles(dataDir: string = xrayReadDir().dir, opts: ListXrayOptions = {}): XrayFile[] {
  const root = resolveXrayRoot(path.resolve(dataDir));
  const wanted = opts.splits ?? XRAY_SPLITS;
  const bad = wanted.filter((s) => !XRAY_SPLITS.includes(s));
  if (bad.length) throw new Error(`listXrayFiles: divisão desconhecida ${bad.join(", ")}; use ${XRAY_SPLITS.join(", ")}`);
  const required = opts.splits ?? (["train", "test"] as const);
  const missing: string[] = [], fs = platform().files;
  for (const split of required) {
    for (const cls of XRAY_CLASS_NAMES) {
      const folder = path.join(root, split, cls);
      if (!fs.info(folder)?.directory) missing.push(`${split}/${cls}`);
    }
  }
  if (missing.length) throw missingDataError(root, missing);

  const files: XrayFile[] = [];
  for (const split of XRAY_SPLITS.filter((s) => wanted.includes(s))) {
    for (const cls of XRAY_CLASS_NAMES) {
      const folder = path.join(root, split, cls);
      if (!fs.info(folder)) continue;
      const label = labelOfClassName(cls) as XrayLabel;
      const names = fs.list(folder)
        .filter((name) => !name.startsWith(".") && IMAGE_EXTENSIONS.has(path.extname(name).toLowerCase()) &&
          fs.info(path.join(folder, name))?.directory === false)
        .sort();
      for (const name of names) files.push({ path: path.join(folder, name), split, label });
    }
  }
  return files;
}

export interface XrayCounts {
  total: number;
  normal: number;
  pneumonia: number;
}

/** Labels as numbers, or anything with a `label` (XrayFile). */
export type LabelList = ArrayLike<number> | readonly { label: number }[];

/** How many NORMAL (0) and PNEUMONIA (1) labels there are. */
export function countLabels(labels: LabelList): XrayCounts {
  noteReferenceCall("countLabels");
  let normal = 0, pneumonia = 0;
  for (let i = 0; i < labels.length; i++) {
    const item = labels[i];
    const label = typeof item === "number" ? item : item.label;
    if (label === 0) normal++;
    else if (label === 1) pneumonia++;
    else throw new Error(`countLabels: rótulo ${String(label)} na posição ${i}; use 0 (NORMAL) ou 1 (PNEUMONIA)`);
  }
  return { total: normal + pneumonia, normal, pneumonia };
}
