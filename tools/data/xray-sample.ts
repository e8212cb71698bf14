// The small chest X-ray sample the repository ships in data/chest-xray-sample/: a seeded,
// class-stratified draw from a full copy in the Kaggle layout, each image decoded, resized
// (the course's tf.image.resize-compatible bilinear) to a small square and saved as a
// greyscale PNG. The same source, seed and sizes always give byte-identical files.
import * as fs from "fs";
import * as path from "path";
import { PNG } from "pngjs";
import { seededRandom, shuffled } from "../../lib/common/random";
import { decodeImage } from "../../lib/pneumonia/data/decode";
import { resizeBilinear } from "../../lib/pneumonia/data/resize";
import { classNameOf, listXrayFiles, XrayFile } from "../../lib/pneumonia/data/xray-files";

export interface SampleOptions {
  /** Full data set in the Kaggle layout (train/ and test/ with NORMAL/ and PNEUMONIA/). */
  source: string;
  /** Output folder; replaced as a whole. */
  out: string;
  seed: number;
  /** Side of the saved square images in pixels. */
  size: number;
  /** Images drawn per split, split between the classes in the source's proportion. */
  counts: { train: number; test: number };
}

export const SAMPLE_DEFAULTS: Omit<SampleOptions, "source" | "out"> = { seed: 2018, size: 96, counts: { train: 300, test: 100 } };

export interface SampleReport { files: number; bytes: number; perFolder: Record<string, number> }

/** `count` files of `files`, stratified by label in their proportion, in a seeded random order. */
export function stratifiedDraw(files: readonly XrayFile[], count: number, seed: number): XrayFile[] {
  if (count > files.length) throw new Error(`asked for ${count} images but the split has only ${files.length}`);
  const rng = seededRandom(seed);
  const byLabel = [0, 1].map((label) => shuffled(files.filter((f) => f.label === label), rng));
  const normal = Math.round((count * byLabel[0].length) / files.length);
  return [...byLabel[0].slice(0, normal), ...byLabel[1].slice(0, count - normal)];
}

/** One image file as a greyscale PNG of size x size (the mean of R, G and B after resizing). */
export async function sampleImagePng(file: string, size: number): Promise<Buffer> {
  const rgb = resizeBilinear(await decodeImage(fs.readFileSync(file)), size, size, 3);
  const png = new PNG({ width: size, height: size, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  const grey = Buffer.alloc(size * size);
  for (let i = 0; i < grey.length; i++) grey[i] = Math.round((rgb[3 * i] + rgb[3 * i + 1] + rgb[3 * i + 2]) / 3);
  png.data = grey;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, deflateLevel: 9 });
}

/** Builds the sample folder; returns how many files and bytes it holds. */
export async function buildXraySample(opts: SampleOptions, log: (line: string) => void = () => undefined): Promise<SampleReport> {
  const all = listXrayFiles(opts.source, { splits: ["train", "test"] });
  const tmp = `${opts.out}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  const report: SampleReport = { files: 0, bytes: 0, perFolder: {} };
  for (const split of ["train", "test"] as const) {
    // A different stream per split, so changing one count does not reshuffle the other split.
    const drawn = stratifiedDraw(all.filter((f) => f.split === split), opts.counts[split], opts.seed + (split === "train" ? 0 : 1));
    for (const f of drawn) {
      const folder = `${split}/${classNameOf(f.label)}`;
      const dest = path.join(tmp, folder, path.basename(f.path).replace(/\.[^.]+$/, ".png"));
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      const png = await sampleImagePng(f.path, opts.size);
      fs.writeFileSync(dest, png);
      report.files++;
      report.bytes += png.length;
      report.perFolder[folder] = (report.perFolder[folder] ?? 0) + 1;
    }
    log(`${split}: ${drawn.length} images`);
  }
  fs.writeFileSync(path.join(tmp, "README.md"), sampleReadme(opts, report));
  fs.rmSync(opts.out, { recursive: true, force: true });
  fs.renameSync(tmp, opts.out);
  return report;
}

/** The sample's attribution and licence (CC BY 4.0 asks for both), with how it was drawn. */
export function sampleReadme(opts: SampleOptions, report: SampleReport): string {
  const rows = Object.entries(report.perFolder).map(([folder, n]) => `| \`${folder}\` | ${n} |`).join("\n");
  return `# A small sample of the chest X-ray data set

${report.files} real paediatric chest X-rays, drawn with seed ${opts.seed} (class-stratified, in each split's
proportion) from the Kaggle train and test splits, decoded, resized to ${opts.size}x${opts.size} (bilinear, as
\`tf.image.resize\`; aspect ratio not kept) and saved as 8-bit greyscale PNG. File names are the originals'.
The pneumonia notebook runs on it when no full copy is configured (see the \`sample\` preset); for the whole
data set run \`npm run download\`.

| folder | images |
|---|---:|
${rows}

Rebuild it (byte-identical) with \`npm run sample -- --source <full copy in the Kaggle layout>\`
(defaults: \`--seed ${SAMPLE_DEFAULTS.seed} --size ${SAMPLE_DEFAULTS.size} --train ${SAMPLE_DEFAULTS.counts.train} --test ${SAMPLE_DEFAULTS.counts.test}\`).

## Attribution and licence

These images are a derivative (downsized, converted to greyscale) of:

- Data: Kermany D, Zhang K, Goldbaum M. *Labeled Optical Coherence Tomography (OCT) and Chest X-Ray Images for
  Classification*. Mendeley Data, v2, 2018. doi:10.17632/rscbjbr9sj.2.
- Paper: Kermany DS, Goldbaum M, Cai W, et al. *Identifying Medical Diagnoses and Treatable Diseases by
  Image-Based Deep Learning*. Cell 172(5):1122–1131.e9, 2018. doi:10.1016/j.cell.2018.02.010.

Licence: Creative Commons Attribution 4.0 International (CC BY 4.0),
https://creativecommons.org/licenses/by/4.0/. The images come from the Guangzhou Women and Children's Medical
Center (patients aged 1 to 5). Changes made here: selection of a subset, resizing, conversion to greyscale PNG.
`;
}
