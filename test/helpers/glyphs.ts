// The characters a font can draw, read from the font file's own cmap (opentype.js), not typed
// by hand: the course prints its check lines and reports in a monospace output area, and a
// character the font lacks shows as an empty box where no fallback font has it (Chromium on
// many Linux machines has no emoji font). DejaVu Sans Mono is the first font of JupyterLab's
// code/output stack on Linux and has the widest coverage of the common monospace fonts.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as opentype from "opentype.js";

const DEBIAN_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";

/** The file of the installed DejaVu Sans Mono (fc-match, else Debian's path), or null when it is not installed. */
export function dejavuSansMonoFile(): string | null {
  const r = spawnSync("fc-match", ["-f", "%{file}", "DejaVu Sans Mono:style=Book"], { encoding: "utf8" });
  const found = r.status === 0 ? r.stdout.trim() : "";
  if (/DejaVuSansMono\.ttf$/.test(found) && fs.existsSync(found)) return found;
  return fs.existsSync(DEBIAN_PATH) ? DEBIAN_PATH : null;
}

/** The Unicode code points that the font file maps to a glyph (its cmap). */
export function fontCodePoints(file: string): Set<number> {
  const bytes = fs.readFileSync(file);
  const font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const map = font.tables.cmap?.glyphIndexMap;
  if (!map) throw new Error(`${file}: no cmap table`);
  return new Set(Object.keys(map).map(Number).filter((cp) => map[cp] > 0));
}

/** The characters of `text` that are not in `glyphs` (control characters aside), each once, with its code point. */
export function missingGlyphs(text: string, glyphs: Set<number>): string[] {
  const missing = new Set<string>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 || cp === 0x7f) continue;
    if (!glyphs.has(cp)) missing.add(`${ch} U+${cp.toString(16).toUpperCase().padStart(4, "0")}`);
  }
  return [...missing];
}
