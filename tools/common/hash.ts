// The one sha256 helper of the instructor's tools: the grader's submission and course-file
// guards, and the notebook runner's "source unchanged since its executed copy" stamps.
import { createHash } from "crypto";
import * as fs from "fs";

/** Hex sha256 of bytes or text. */
export function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Hex sha256 of a file's bytes. */
export function sha256File(file: string): string {
  return sha256(fs.readFileSync(file));
}
