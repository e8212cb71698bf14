// Keeps the grader's own files honest while student code runs with the instructor's
// permissions: a snapshot (contents in memory) of the protected files, a check after
// each submission that names what was changed, deleted or added, and a restore.
import * as fs from "fs";
import * as path from "path";
import { sha256, sha256File } from "../common/hash";

export interface GuardChanges { changed: string[]; deleted: string[]; added: string[] }

/** Every file under `p` (or `p` itself), skipping node_modules and dot-folders. */
function listFiles(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    return [];
  }
  if (stat.isFile()) return [p];
  if (!stat.isDirectory()) return [];
  return fs.readdirSync(p).filter((n) => n !== "node_modules" && !n.startsWith(".")).sort()
    .flatMap((n) => listFiles(path.join(p, n)));
}

export class FileGuard {
  private readonly contents = new Map<string, Buffer>();
  private readonly hashes = new Map<string, string>();

  /** `roots`: files and folders to protect (folders recursively). */
  constructor(private readonly roots: string[]) {
    this.snapshot();
  }

  /** Takes (or retakes) the snapshot of the protected files. */
  snapshot(): void {
    this.contents.clear();
    this.hashes.clear();
    for (const file of this.roots.flatMap((r) => listFiles(path.resolve(r)))) {
      const data = fs.readFileSync(file);
      this.contents.set(file, data);
      this.hashes.set(file, sha256(data));
    }
  }

  /** What differs from the snapshot. */
  changes(): GuardChanges {
    const result: GuardChanges = { changed: [], deleted: [], added: [] };
    for (const [file, hash] of this.hashes) {
      if (!fs.existsSync(file)) result.deleted.push(file);
      else if (sha256File(file) !== hash) result.changed.push(file);
    }
    for (const file of this.roots.flatMap((r) => listFiles(path.resolve(r)))) {
      if (!this.hashes.has(file)) result.added.push(file);
    }
    return result;
  }

  /**
   * Puts back changed and deleted files and returns what differed; the changed
   * versions are first copied under `keepChangedIn` (same absolute path below it).
   * Added files are only reported (deleting files is riskier than leaving them).
   */
  restore(keepChangedIn?: string): GuardChanges {
    const found = this.changes();
    // The changed versions are kept (never lost), for the instructor to look at.
    if (keepChangedIn) {
      for (const file of found.changed) {
        const copy = path.join(keepChangedIn, file.replace(/^[/\\]+/, "").replace(/[:]/g, ""));
        fs.mkdirSync(path.dirname(copy), { recursive: true });
        fs.copyFileSync(file, copy);
      }
    }
    for (const file of [...found.changed, ...found.deleted]) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, this.contents.get(file) ?? Buffer.alloc(0));
    }
    for (const file of found.added) {
      const data = fs.readFileSync(file);
      this.contents.set(file, data);
      this.hashes.set(file, sha256(data));
    }
    return found;
  }
}

export function hasChanges(c: GuardChanges): boolean {
  return c.changed.length + c.deleted.length + c.added.length > 0;
}
