// Where the course finds its files. One place, so that notebooks, tests and
// command-line tools agree on the project root, the data directory and the cache.
import * as fs from "fs";
import * as path from "path";

/** The repository root (lib/ is one level below it; lib/dist two levels). */
export function projectRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "lib", "package.json"))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`Não encontrei a raiz do projeto a partir de ${__dirname} (procurei package.json e lib/package.json).`);
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
  return fs.existsSync(path.join(dir, "train")) || fs.existsSync(path.join(dir, "chest_xray", "train"));
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
