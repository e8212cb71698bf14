// Detects a submission that answers an exercise by calling the course's own answer.
// Each course function that computes an exercise's answer starts with
// `noteReferenceCall("<label>")`; while an exercise's cases run (the self-check and the
// grader's injected cell), the labels of that exercise are watched and a call is recorded.
// A leaf module (no imports): the lecture code depends on it, not the other way round.
// The state lives on globalThis, so a second copy of the library (a cleared require
// cache) reports to the same watch.

interface WatchState {
  /** Labels watched now (empty when no cases run). */
  labels: Set<string>;
  /** > 0 while cases run. */
  depth: number;
  /** Watched labels reached, in order of first call. */
  hits: string[];
}

const KEY = Symbol.for("cnn-course.reference-watch");

function watchState(): WatchState {
  const holder = globalThis as unknown as Record<symbol, WatchState | undefined>;
  const existing = holder[KEY];
  if (existing) return existing;
  const created: WatchState = { labels: new Set(), depth: 0, hits: [] };
  holder[KEY] = created;
  return created;
}

const state = watchState();

/**
 * First line of a course function that computes an exercise's answer (conv2d, pool2d...):
 * records the call when `label` is watched. Costs one comparison otherwise.
 */
export function noteReferenceCall(label: string): void {
  if (state.depth === 0 || !state.labels.has(label)) return;
  if (!state.hits.includes(label)) state.hits.push(label);
}

/** Starts watching `labels` (nested calls add up); returns the function that stops and gives the labels reached. */
export function startReferenceWatch(labels: readonly string[]): () => string[] {
  const previous = { labels: state.labels, hits: state.hits };
  state.labels = new Set([...previous.labels, ...labels]);
  state.hits = [];
  state.depth++;
  return () => {
    const hits = state.hits;
    state.depth = Math.max(0, state.depth - 1);
    state.labels = previous.labels;
    state.hits = [...previous.hits, ...hits.filter((h) => previous.labels.has(h) && !previous.hits.includes(h))];
    return hits;
  };
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

/** How a label reads in a message: `conv2d`, `tf.conv2d`, `a referência de "convolve"`. */
export function describeReferenceLabel(label: string): string {
  if (label === "tf.layers") return "camadas do tf.layers: monte a tabela com as contas, sem construir o modelo";
  if (label.startsWith("tf:")) return TF_NAMES[label.slice(3)] ?? `TensorFlow.js (${label.slice(3)})`;
  if (label.startsWith("exercise:")) return `a referência de "${label.slice("exercise:".length)}" via studentOrReference`;
  return label;
}
