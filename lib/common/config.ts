// Where the course finds its files. One place, so that notebooks, tests and
// command-line tools agree on the project root, the data directory and the cache.
import * as path from "path";
import { platform } from "./platform";

/** The repository root (in the browser: the site's virtual root). */
export function projectRoot(): string {
  return platform().projectRoot();
}

/** Ignored folder for everything the course computes or downloads (never committed). */
export function cacheDir(...parts: string[]): string {
  const base = process.env.CNN_COURSE_CACHE ? path.resolve(process.env.CNN_COURSE_CACHE) : path.join(projectRoot(), ".cache");
  return path.join(base, ...parts);
}

/**
 * The chest X-ray folder in the Kaggle layout `{train,val,test}/{NORMAL,PNEUMONIA}/*.jpeg`.
 * Set CNN_COURSE_DATA to use another copy (CI: ../shared/data/chest-xray);
 * the default is where `npm run download` writes.
 */
export function xrayDataDir(): string {
  const fromEnv = process.env.CNN_COURSE_DATA;
  return fromEnv ? path.resolve(fromEnv) : cacheDir("data", "chest_xray");
}

/** The small real X-ray sample the repository ships (data/chest-xray-sample, built by `npm run sample`). */
export function xraySampleDir(): string {
  return path.join(projectRoot(), "data", "chest-xray-sample");
}

function hasTrainSplit(dir: string): boolean {
  const files = platform().files;
  return files.info(path.join(dir, "train")) !== null || files.info(path.join(dir, "chest_xray", "train")) !== null;
}

/**
 * The X-ray folder the course reads: `xrayDataDir()` when CNN_COURSE_DATA is set or the download
 * is there; otherwise the repository's sample (`sample: true`), so a fresh clone runs offline.
 */
export function xrayReadDir(): { dir: string; sample: boolean } {
  const configured = xrayDataDir();
  if (process.env.CNN_COURSE_DATA || hasTrainSplit(configured)) return { dir: configured, sample: false };
  const sample = xraySampleDir();
  return hasTrainSplit(sample) ? { dir: sample, sample: true } : { dir: configured, sample: false };
}

/** True when running under CI (CI=true): missing data must fail, not skip. */
export function isCI(): boolean {
  return process.env.CI === "true" || process.env.CI === "1";
}
