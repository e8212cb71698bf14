// initEngine in the browser (what the kernel's "cnn-course" module gives the notebooks): WebGL
// when the browser draws with a real GPU, else the course's wasm engine (lib's initEngine,
// with its SIMD kernels: the same numbers as under tslab's wasm). Software WebGL (SwiftShader,
// llvmpipe: machines without a GPU, headless Chromium) is slower than wasm and is not used.
// WebGPU would need @tensorflow/tfjs-backend-webgpu, which the course does not ship yet.
import * as tf from "@tensorflow/tfjs";
import * as course from "../../lib/index";

type CourseEngineInfo = Awaited<ReturnType<typeof course.initEngine>>;
export type BrowserEngineInfo = Omit<CourseEngineInfo, "backend"> & { backend: CourseEngineInfo["backend"] | "webgl" };

/** The WebGL renderer's name, or why there is none. */
export function webglRenderer(): { renderer: string | null; why: string } {
  const canvas = document.createElement("canvas");
  const gl = canvas.getContext("webgl2") ?? canvas.getContext("webgl");
  if (!gl) return { renderer: null, why: "o navegador não oferece WebGL" };
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  return { renderer, why: "" };
}

function softwareRenderer(name: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i.test(name);
}

let chosen: BrowserEngineInfo | null = null;

export async function initBrowserEngine(options: { quiet?: boolean } = {}): Promise<BrowserEngineInfo> {
  if (chosen) return chosen;
  const gl = webglRenderer();
  let whyNotGpu = gl.why;
  if (gl.renderer && !softwareRenderer(gl.renderer)) {
    if (await tf.setBackend("webgl")) {
      await tf.ready();
      chosen = { backend: "webgl", reason: `WebGL na GPU (${gl.renderer}).`, threads: 1, threadsReason: "a GPU faz o paralelismo", kernels: null };
    } else whyNotGpu = `o WebGL de ${gl.renderer} não inicializou`;
  } else if (gl.renderer) whyNotGpu = `o WebGL deste navegador é desenhado por software (${gl.renderer}), mais lento que o wasm`;
  if (!chosen) {
    const info = await course.initEngine({ backend: "wasm", quiet: true });
    chosen = { ...info, reason: info.reason.replace(/pedido explicitamente\.?$/, `no navegador, porque ${whyNotGpu}.`) };
  }
  if (!options.quiet) console.log(`Motor de treino: ${chosen.backend} — ${chosen.reason} ${chosen.threadsReason}.`);
  return chosen;
}
