// Detects a submission that answers an exercise by calling the course's own answer.
// Each course function that computes an exercise's answer starts with
// `noteReferenceCall("<label>")`; while an exercise's cases run (the self-check and the
// grader's injected cell), the labels of that exercise are watched and a call is recorded.
// A leaf module (no imports): the lecture code depends on it, not the other way round.
//
// The watch's state (the open watches, their labels and hits) lives in this module's closure,
// out of reach of student code. What is shared on globalThis, so that a second copy of the
// library (a cleared require cache) reports to the same watch, is a frozen object holding two
// functions, defined non-writable and non-configurable: `note` can only add hits and `start` only
// opens a new watch, whose stop function goes to its caller alone. Nothing there switches off
// a watch somebody else opened.

/** One open watch: the labels it watches and those reached since it started. */
interface WatchFrame { labels: ReadonlySet<string>; hits: string[] }

interface WatchApi {
  note(label: string): void;
  start(labels: readonly string[]): () => string[];
}

const KEY = Symbol.for("cnn-course.reference-watch.api");

function createWatch(): WatchApi {
  const frames: WatchFrame[] = [];
  return Object.freeze({
    note(label: string): void {
      for (const frame of frames) {
        if (frame.labels.has(label) && !frame.hits.includes(label)) frame.hits.push(label);
      }
    },
    start(labels: readonly string[]): () => string[] {
      const frame: WatchFrame = { labels: new Set(labels), hits: [] };
      frames.push(frame);
      let stopped = false;
      return () => {
        if (!stopped) {
          stopped = true;
          // Watches opened inside this one and never stopped end with it.
          const at = frames.indexOf(frame);
          if (at >= 0) frames.splice(at);
        }
        return [...frame.hits];
      };
    },
  });
}

function isWatchApi(value: unknown): value is WatchApi {
  const api = value as Partial<WatchApi> | null;
  return !!api && Object.isFrozen(api) && typeof api.note === "function" && typeof api.start === "function";
}

/** The shared watch: the first copy of this module creates and locks it; later copies reuse it. */
function sharedWatch(): WatchApi {
  const holder = globalThis as unknown as Record<symbol, unknown>;
  const existing = holder[KEY];
  if (isWatchApi(existing)) return existing;
  const created = createWatch();
  try {
    Object.defineProperty(globalThis, KEY, { value: created, writable: false, configurable: false, enumerable: false });
  } catch {
    // The key was taken by something else (not our API): this copy keeps a private watch.
  }
  return created;
}

const watch = sharedWatch();

/**
 * First line of a course function that computes an exercise's answer (conv2d, pool2d...):
 * records the call in every open watch of `label`. Costs a loop over the open watches (none
 * outside the cases' runs).
 */
export function noteReferenceCall(label: string): void {
  watch.note(label);
}

/** Starts watching `labels` (nested watches each get their own hits); returns the function that stops and gives the labels reached. */
export function startReferenceWatch(labels: readonly string[]): () => string[] {
  return watch.start(labels);
}

/** The label the fallback of a teaching cell notes when it runs an exercise's reference by id. */
export function fallbackLabel(exerciseId: string): string {
  return `exercise:${exerciseId}`;
}

/** Thrown by a case that reached the course's answer: the exercise scores 0. */
export class ReferenceUseError extends Error {
  constructor(readonly used: string[]) {
    super(`usa a implementação de referência do curso (${used.map(describeReferenceLabel).join(", ")})`);
    this.name = "ReferenceUseError";
  }
}

export function isReferenceUse(err: unknown): err is ReferenceUseError {
  return err instanceof ReferenceUseError || (err instanceof Error && err.name === "ReferenceUseError" && Array.isArray((err as ReferenceUseError).used));
}

const TF_NAMES: Record<string, string> = {
  Conv2D: "tf.conv2d", FusedConv2D: "tf.fused.conv2d", DepthwiseConv2dNative: "tf.depthwiseConv2d", MaxPool: "tf.maxPool",
  MaxPoolWithArgmax: "tf.maxPoolWithArgmax", AvgPool: "tf.avgPool", Relu: "tf.relu", PadV2: "tf.pad",
};

/** The label of a watch found switched off (tf.engine().runKernelFunc replaced while the cases ran). */
export const TAMPER_LABEL = "tamper:tf-engine";

/** How a label reads in a message: `conv2d`, `tf.conv2d`, `a referência de "convolve"`. */
export function describeReferenceLabel(label: string): string {
  if (label === TAMPER_LABEL) return "tf.engine().runKernelFunc trocado: vigia desligado";
  if (label.startsWith("tf:")) return TF_NAMES[label.slice(3)] ?? `TensorFlow.js (${label.slice(3)})`;
  if (label.startsWith("exercise:")) return `a referência de "${label.slice("exercise:".length)}" via studentOrReference`;
  return label;
}
