// What machine a measurement was taken on, recorded beside every result: the CPU model,
// how many cores Node sees, the SIMD extensions (wasm's XNNPACK uses SSE/AVX through
// WebAssembly SIMD; native TensorFlow can use AVX-512), memory and the Node version.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  /** The SIMD flags of /proc/cpuinfo (Linux; empty elsewhere), e.g. ["avx2", "avx512f", "fma", "sse4_2"]. */
  simd: string[];
  memoryGB: number;
  platform: string;
  arch: string;
  node: string;
}

const SIMD_FLAG = /^(sse\d?(_\d)?|ssse3|avx\w*|fma|f16c|amx\w*|asimd\w*|neon|sve\w*)$/;

/** The SIMD extensions listed in a /proc/cpuinfo text (first processor), sorted. */
export function simdFlags(cpuinfo: string): string[] {
  const line = cpuinfo.split("\n").find((l) => /^(flags|Features)\s*:/.test(l));
  if (!line) return [];
  const flags = line.slice(line.indexOf(":") + 1).trim().split(/\s+/);
  return [...new Set(flags.filter((f) => SIMD_FLAG.test(f)))].sort();
}

export function machineInfo(): MachineInfo {
  let cpuinfo = "";
  try {
    cpuinfo = fs.readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    // Not Linux: no flags.
  }
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "desconhecido",
    cores: cpus.length,
    simd: simdFlags(cpuinfo),
    memoryGB: Math.round(os.totalmem() / 2 ** 30 * 10) / 10,
    platform: os.platform(),
    arch: os.arch(),
    node: process.version,
  };
}

/** The git commit of the course checkout at `dir` (with "-dirty" when it has changes), or null outside git. */
export function codeVersion(dir: string): string | null {
  try {
    const run = (...args: string[]): string => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 }).trim();
    const commit = run("rev-parse", "HEAD");
    return run("status", "--porcelain", "--untracked-files=no") ? `${commit}-dirty` : commit;
  } catch {
    return null;
  }
}
