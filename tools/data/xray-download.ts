// `npm run download`: fetches the very files the Keras example reads
// (ChestXRay2017/{train,test}/{images,paths}.tfrec), checks every record's CRC and unpacks them
// into the Kaggle folder layout, so `listXrayFiles` reads a download exactly like the Kaggle copy.
// The folder appears complete or not at all: it is assembled under a temporary name and renamed.
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { xrayDataDir } from "../../lib/common/config";
import { createProgress, Progress } from "../../lib/view/progress";
import { downloadFile, DownloadResult } from "./download";
import { readTFRecords, TFRecord } from "./tfrecord";
import { countLabels, labelOfClassName, listXrayFiles, XRAY_CLASS_NAMES, XrayCounts } from "../../lib/pneumonia/data/xray-files";

/** The public bucket the Keras example reads (gs://download.tensorflow.org/data/ChestXRay2017 over HTTPS). */
export const KERAS_XRAY_BASE_URL = "https://storage.googleapis.com/download.tensorflow.org/data/ChestXRay2017";
const SPLITS = ["train", "test"] as const;

export interface XrayDownloadOptions {
  /** Where the Kaggle layout is written (default xrayDataDir(): CNN_COURSE_DATA or .cache/data/chest_xray). */
  dataDir?: string;
  /** Base URL holding {train,test}/{images,paths}.tfrec (tests point it at a local server). */
  baseUrl?: string;
  /** Where the .tfrec files are downloaded (default: beside dataDir, `<dataDir>-tfrecords`). */
  downloadDir?: string;
  /** Keep the .tfrec files after unpacking (default false: they double the disk space). */
  keepTFRecords?: boolean;
  /** Replace a data folder that already holds the layout (default false: nothing to do). */
  force?: boolean;
  retries?: number;
  retryDelayMs?: number;
  /** Progress displays (default true; silent under the test suite anyway). */
  progress?: boolean;
  log?: (message: string) => void;
}

export interface XrayDownloadResult {
  dataDir: string;
  counts: Record<"train" | "test", XrayCounts>;
  downloads: DownloadResult[];
  /** True when the folder already held the data and nothing was done. */
  alreadyPresent: boolean;
}

function hasLayout(dir: string): boolean {
  return SPLITS.every((s) => XRAY_CLASS_NAMES.every((c) => fs.existsSync(path.join(dir, s, c))));
}

function countsOf(dir: string): Record<"train" | "test", XrayCounts> {
  const files = listXrayFiles(dir);
  return { train: countLabels(files.filter((f) => f.split === "train")), test: countLabels(files.filter((f) => f.split === "test")) };
}

function megabytes(bytes: number): number {
  return Math.ceil(bytes / (1024 * 1024));
}

async function fetchTFRecords(baseUrl: string, downloadDir: string, opts: XrayDownloadOptions): Promise<DownloadResult[]> {
  const results: DownloadResult[] = [];
  for (const split of SPLITS) {
    for (const kind of ["paths", "images"]) {
      const rel = `${split}/${kind}.tfrec`;
      const dest = path.join(downloadDir, split, `${kind}.tfrec`);
      if (fs.existsSync(dest)) {
        opts.log?.(`${rel}: já baixado (${dest})`);
        continue;
      }
      let bar: Progress | null = null;
      const result = await downloadFile(`${baseUrl}/${rel}`, dest, {
        retries: opts.retries,
        retryDelayMs: opts.retryDelayMs,
        onProgress: (done, total) => {
          if (opts.progress === false || total === null) return;
          bar = bar ?? createProgress(`Baixando ${rel} (MB)`, megabytes(total));
          bar.set(Math.min(megabytes(total), Math.floor(done / (1024 * 1024))));
        },
      });
      const shown = bar as Progress | null;
      shown?.set(shown.total);
      shown?.finish();
      results.push(result);
    }
  }
  return results;
}

/** A record of paths.tfrec: the original path, whose parent folder is the class. */
function classAndName(record: TFRecord, pathsFile: string): { cls: string; name: string } {
  const original = record.data.toString("utf8");
  const parts = original.split(/[\\/]/).filter((p) => p.length > 0);
  const name = parts[parts.length - 1] ?? "";
  const label = labelOfClassName(parts[parts.length - 2] ?? "");
  if (label === null || name === "." || name === ".." || name === "") {
    throw new Error(`${pathsFile}: registro ${record.index}: caminho ${JSON.stringify(original)} não termina em NORMAL/<arquivo> nem PNEUMONIA/<arquivo>`);
  }
  return { cls: XRAY_CLASS_NAMES[label], name };
}

// Record i of images.tfrec belongs to record i of paths.tfrec. The paths (a few hundred KB) are
// read first, so the class of every image is known, and checked, before any image is written.
async function unpackSplit(downloadDir: string, split: string, target: string, opts: XrayDownloadOptions): Promise<number> {
  const imagesFile = path.join(downloadDir, split, "images.tfrec");
  const pathsFile = path.join(downloadDir, split, "paths.tfrec");
  const names: { cls: string; name: string }[] = [];
  for await (const p of readTFRecords(pathsFile)) names.push(classAndName(p, pathsFile));
  for (const cls of XRAY_CLASS_NAMES) fs.mkdirSync(path.join(target, split, cls), { recursive: true });
  const bar = opts.progress === false ? null : createProgress(`Extraindo ${split}`, names.length);
  let count = 0;
  for await (const img of readTFRecords(imagesFile)) {
    if (img.index >= names.length) {
      throw new Error(`${imagesFile} tem mais registros que os ${names.length} caminhos de ${pathsFile}: os dois arquivos devem ter um caminho por imagem`);
    }
    const { cls, name } = names[img.index];
    const file = path.join(target, split, cls, name);
    if (fs.existsSync(file)) opts.log?.(`Aviso: ${split}/${cls}/${name} aparece duas vezes (registro ${img.index}); mantive o primeiro.`);
    else await fs.promises.writeFile(file, img.data);
    count++;
    bar?.tick(1);
  }
  if (count < names.length) {
    throw new Error(`${imagesFile} tem ${count} registros, mas ${pathsFile} tem ${names.length}: os dois arquivos devem ter um caminho por imagem`);
  }
  bar?.finish();
  return count;
}

const SOURCE_NOTE = (baseUrl: string): string => `# Chest X-ray images (pneumonia vs normal)

Unpacked by \`npm run download\` from the TFRecord files of the Keras example
"Pneumonia Classification on TPU": ${baseUrl}/{train,test}/{images,paths}.tfrec.
Each JPEG is stored byte for byte as in the TFRecord; the class folder comes from the original path.

Kermany DS, Goldbaum M, Cai W, et al. "Identifying Medical Diagnoses and Treatable Diseases by
Image-Based Deep Learning". Cell 172(5):1122-1131.e9, 2018. doi:10.1016/j.cell.2018.02.010.
Data: Kermany D, Zhang K, Goldbaum M, Mendeley Data v2, 2018, doi:10.17632/rscbjbr9sj.2. Licence: CC BY 4.0.
`;

/**
 * Downloads (resuming what an earlier run left), verifies and unpacks the Keras example's chest
 * X-rays into `dataDir` in the Kaggle layout. Nothing is written to `dataDir` unless every record
 * of every file checks out.
 */
export async function downloadXrayData(opts: XrayDownloadOptions = {}): Promise<XrayDownloadResult> {
  const dataDir = path.resolve(opts.dataDir ?? xrayDataDir());
  const baseUrl = (opts.baseUrl ?? KERAS_XRAY_BASE_URL).replace(/\/+$/, "");
  const downloadDir = path.resolve(opts.downloadDir ?? `${dataDir}-tfrecords`);
  const log = opts.log ?? ((m: string) => console.log(m));
  if (hasLayout(dataDir) && !opts.force) {
    log(`${dataDir} já tem os dados (train/ e test/); nada a fazer. Use --force para baixar de novo.`);
    return { dataDir, counts: countsOf(dataDir), downloads: [], alreadyPresent: true };
  }
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0 && !opts.force) {
    throw new Error(`${dataDir} existe, não está vazia e não tem o layout train/ e test/. ` +
      "Escolha outra pasta com --data-dir, ou use --force para substituí-la.");
  }

  const downloads = await fetchTFRecords(baseUrl, downloadDir, { ...opts, log });

  const suffix = `${process.pid}-${randomBytes(3).toString("hex")}`;
  const tmp = `${dataDir}.tmp-${suffix}`;
  try {
    for (const split of SPLITS) {
      const n = await unpackSplit(downloadDir, split, tmp, { ...opts, log });
      log(`${split}: ${n} imagens verificadas e extraídas`);
    }
    fs.writeFileSync(path.join(tmp, "SOURCE.md"), SOURCE_NOTE(baseUrl));
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    // Swap in the complete folder; an old one (--force) is moved aside first and removed after.
    const old = `${dataDir}.old-${suffix}`;
    const hadOld = fs.existsSync(dataDir);
    if (hadOld) fs.renameSync(dataDir, old);
    fs.renameSync(tmp, dataDir);
    if (hadOld) fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  if (!opts.keepTFRecords) {
    for (const split of SPLITS) fs.rmSync(path.join(downloadDir, split), { recursive: true, force: true });
    if (fs.existsSync(downloadDir) && fs.readdirSync(downloadDir).length === 0) fs.rmdirSync(downloadDir);
  }
  return { dataDir, counts: countsOf(dataDir), downloads, alreadyPresent: false };
}
