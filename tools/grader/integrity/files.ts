// Submissions are files the instructor received, inside the folder given: a symbolic link
// (git and unzip recreate them) or a path that leads outside that folder is refused, never
// followed, and a submission whose bytes equal a course file (a solution) is flagged.
import * as fs from "fs";
import * as path from "path";
import { sha256 } from "../../common/hash";

/** Why `file` (found under `root`, or given alone when root is null) is not graded; null when it is a plain file inside. */
export function submissionPathProblem(file: string, root: string | null): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch (err) {
    return `não consegui ler o arquivo (${(err as Error).message})`;
  }
  if (stat.isSymbolicLink()) {
    let target = "?";
    try {
      target = fs.readlinkSync(file);
    } catch { /* shown as "?" */ }
    return `link simbólico (aponta para ${target}): recusado, não é seguido; envie o próprio notebook`;
  }
  if (!stat.isFile()) return "não é um arquivo comum: recusado";
  if (root !== null) {
    const realRoot = fs.realpathSync(root);
    const real = fs.realpathSync(file);
    const rel = path.relative(realRoot, real);
    if (rel.startsWith("..") || path.isAbsolute(rel)) return `o caminho leva para fora da pasta de envios (${real}): recusado`;
  }
  return null;
}

/** The bytes of `file`, refusing to follow a symbolic link put there after the listing. */
export function readNoFollow(file: string): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  try {
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** sha256 -> course file, for the .ipynb files of the given folders (solutions, and the handed-out notebooks). */
export function courseFileHashes(dirs: string[]): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith(".ipynb")).sort()) {
      const file = path.join(dir, name);
      hashes.set(sha256(fs.readFileSync(file)), file);
    }
  }
  return hashes;
}
