// One call that makes TensorFlow.js ready for training and says which backend it chose and why:
// the native tfjs-node when it is installed and loads, else wasm (XNNPACK, SIMD) with our
// gradient kernels, else the pure-JavaScript cpu backend (correct but very slow).
import { isMainThread } from "worker_threads";
import * as tf from "@tensorflow/tfjs";
import { registerGradientKernels } from "./backprop-kernels";
import { registerHeapKernels } from "./heap-kernels";
import { registerMatMulKernel } from "./matmul-kernel";
import { registerFusedReluGradient } from "./fused-relu-grad";
import { registerWinogradKernels, winogradFlavor } from "./winograd";
import { planThreads } from "./threads";

export type EngineBackend = "tensorflow" | "wasm" | "cpu";

export interface EngineInfo {
  backend: EngineBackend;
  /** Why this backend, in Portuguese, for the notebook user. */
  reason: string;
  /** Threads training will use (data-parallel replicas; CNN_COURSE_THREADS chooses). */
  threads: number;
  /** Why that many threads, in Portuguese. */
  threadsReason: string;
  /** The course's own convolution kernels in use (wasm only; null on other backends). */
  kernels: EngineKernels | null;
}

/** Which of the course's convolution kernels run (CNN_COURSE_WINOGRAD=0 and CNN_COURSE_RELAXED_SIMD=0 turn them off). */
export interface EngineKernels {
  /** 3x3 stride-1 convolutions (forward, input gradient) by Winograd F(2x2,3x3) in the course's wasm SIMD. */
  winograd: boolean;
  /** That kernel uses relaxed SIMD's fused multiply-add (f32x4.relaxed_madd). */
  relaxedSimd: boolean;
}

/** The kernels' part of initEngine's line, in Portuguese. */
function kernelsText(k: EngineKernels): string {
  if (!k.winograd) return "convoluções 3x3 pelo XNNPACK (Winograd desligado)";
  return `convoluções 3x3 por Winograd F(2x2,3x3) ${k.relaxedSimd ? "com relaxed SIMD (multiplicação-soma fundida)" : "sem relaxed SIMD (indisponível ou desligado)"}`;
}

export interface EngineOptions {
  /**
   * Force a backend instead of the best available one (also via env CNN_COURSE_BACKEND).
   * A forced backend that cannot start is an error, not a silent fallback.
   */
  backend?: EngineBackend;
  /** Print nothing (tests, benchmarks that print their own JSON). Default false. */
  quiet?: boolean;
}

const VALID_BACKENDS: readonly EngineBackend[] = ["tensorflow", "wasm", "cpu"];

let current: { info: EngineInfo; requested: EngineBackend | undefined } | null = null;
let pending: Promise<EngineInfo> | null = null;

function requestedBackend(options: EngineOptions): EngineBackend | undefined {
  const fromEnv = process.env.CNN_COURSE_BACKEND?.trim();
  const wanted = options.backend ?? (fromEnv ? fromEnv : undefined);
  if (wanted == null) return undefined;
  if (!(VALID_BACKENDS as readonly string[]).includes(wanted)) {
    throw new Error(`Backend desconhecido '${wanted}' (CNN_COURSE_BACKEND ou opção backend): ` +
      `use um de ${VALID_BACKENDS.join(", ")}.`);
  }
  return wanted as EngineBackend;
}

/** Loads @tensorflow/tfjs-node when installed; returns why not otherwise. */
function loadNative(): { ok: true } | { ok: false; why: string } {
  try {
    // Optional dependency: absent (or without its native binary) on many student machines.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional dependency, loaded only when chosen
    require("@tensorflow/tfjs-node");
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0] : String(e);
    if (/Cannot find module '@tensorflow\/tfjs-node'/.test(msg)) {
      return { ok: false, why: "@tensorflow/tfjs-node não está instalado" };
    }
    // Usually the native binary is missing: its install script was skipped or could not download it.
    return {
      ok: false,
      why: `@tensorflow/tfjs-node está instalado mas não carregou (${msg}); ` +
        "com internet, rode `npm rebuild @tensorflow/tfjs-node` para baixar o binário nativo",
    };
  }
  if (tf.findBackend("tensorflow") == null) {
    return { ok: false, why: "@tensorflow/tfjs-node carregou mas usa outra cópia de @tensorflow/tfjs (versões diferentes)" };
  }
  return { ok: true };
}

async function tryWasm(): Promise<{ ok: true; detail: string } | { ok: false; why: string }> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- registers the backend only when chosen
    require("@tensorflow/tfjs-backend-wasm");
    registerGradientKernels("wasm");
    registerHeapKernels("wasm");
    registerMatMulKernel("wasm");
    registerWinogradKernels("wasm");
    registerFusedReluGradient();
    if (!(await tf.setBackend("wasm"))) return { ok: false, why: "o backend wasm não inicializou" };
    await tf.ready();
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    return { ok: true, detail: simd ? "XNNPACK com SIMD" : "XNNPACK sem SIMD (mais lento)" };
  } catch (e) {
    return { ok: false, why: `o backend wasm falhou (${e instanceof Error ? e.message : String(e)})` };
  }
}

async function choose(requested: EngineBackend | undefined): Promise<EngineInfo> {
  const chosen = await chooseBackend(requested);
  // Workers run one replica each and call initEngine themselves: only the main thread plans threads.
  const plan = isMainThread ? await planThreads(chosen.backend) : { threads: 1, reason: "1 thread de treino (dentro de um worker)" };
  const flavor = chosen.backend === "wasm" ? winogradFlavor() : undefined;
  const kernels = flavor === undefined ? null : { winograd: flavor != null, relaxedSimd: flavor === "relaxed" };
  return { ...chosen, threads: plan.threads, threadsReason: plan.reason, kernels };
}

async function chooseBackend(requested: EngineBackend | undefined): Promise<Omit<EngineInfo, "threads" | "threadsReason" | "kernels">> {
  const reasons: string[] = [];
  if (requested == null || requested === "tensorflow") {
    const native = loadNative();
    if (native.ok && (await tf.setBackend("tensorflow"))) {
      await tf.ready();
      return { backend: "tensorflow", reason: "@tensorflow/tfjs-node (TensorFlow nativo em C++) está instalado e carregou." };
    }
    const why = native.ok ? "o backend tensorflow não inicializou" : native.why;
    if (requested === "tensorflow") throw new Error(`Backend 'tensorflow' pedido, mas ${why}. Veja a seção "Motor de treino" do README.`);
    reasons.push(why);
  }
  if (requested == null || requested === "wasm") {
    const wasm = await tryWasm();
    if (wasm.ok) {
      const why = requested === "wasm" ? "pedido explicitamente" : reasons.join("; ");
      return { backend: "wasm", reason: `WebAssembly (${wasm.detail}, gradientes de convolução do curso): ${why}.` };
    }
    if (requested === "wasm") throw new Error(`Backend 'wasm' pedido, mas ${wasm.why}.`);
    reasons.push(wasm.why);
  }
  if (!(await tf.setBackend("cpu"))) throw new Error("Nenhum backend do TensorFlow.js inicializou (nem o cpu).");
  await tf.ready();
  const why = requested === "cpu" ? "pedido explicitamente" : reasons.join("; ");
  return {
    backend: "cpu",
    reason: `JavaScript puro: ${why}. Atenção: o treino será muito lento (cerca de 100x mais que no wasm).`,
  };
}

/**
 * Makes TensorFlow.js ready for training and returns (and prints) the chosen backend and why.
 * Call it once before any training; later calls return at once. Calling it with a different
 * forced backend switches to that backend.
 */
export async function initEngine(options: EngineOptions = {}): Promise<EngineInfo> {
  const requested = requestedBackend(options);
  if (current && (requested == null || requested === current.requested || requested === current.info.backend)) {
    if (tf.getBackend() !== current.info.backend) await tf.setBackend(current.info.backend);
    return current.info;
  }
  if (pending) await pending.catch(() => undefined);
  if (current && (requested == null || requested === current.info.backend)) return current.info;
  pending = choose(requested);
  try {
    const info = await pending;
    current = { info, requested };
    if (!options.quiet) {
      const kernels = info.kernels ? ` Kernels: ${kernelsText(info.kernels)}.` : "";
      const line = `Motor de treino: ${info.backend} — ${info.reason} ${info.threadsReason}.${kernels}`;
      if (info.backend === "cpu") console.warn(line);
      else console.log(line);
    }
    return info;
  } finally {
    pending = null;
  }
}

/** The engine chosen by initEngine, or null before it ran. */
export function engineInfo(): EngineInfo | null {
  return current ? current.info : null;
}
