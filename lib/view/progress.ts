// One progress display for long steps (downloads, preprocessing, epochs, grading):
// in a notebook a single output updated in place (tslab display ids), in a terminal a
// single bar line rewritten with "\r", in logs (no TTY: CI) a plain line now and then,
// and nothing in the test suite unless asked (CNN_COURSE_PROGRESS=1).
import { formatBR, formatScientificBR } from "../common/format";
import { canDisplayRich, createUpdatableDisplay, escapeHtml, UpdatableDisplay } from "./display";

/** Current values to show beside the counts (loss, metrics, file name...). */
export type ProgressInfo = Record<string, number | string>;

export interface Progress {
  /** Adds `n` (default 1) finished items; `info` replaces the values shown. */
  tick(n?: number, info?: ProgressInfo): void;
  /** Sets the number of finished items. */
  set(done: number, info?: ProgressInfo): void;
  /** Shows the final state (always, whatever the throttling) and stops updating. */
  finish(message?: string): void;
  readonly done: number;
  readonly total: number;
}

export type ProgressMode = "notebook" | "tty" | "lines" | "silent";

export interface ProgressOptions {
  /** Where to show it; default: chosen from the environment (see `progressMode`). */
  mode?: ProgressMode;
  /** Terminal output for "tty" and "lines" (default: process.stderr). */
  write?: (text: string) => void;
  /** Clock in milliseconds (tests). */
  now?: () => number;
  /** Least time between two updates: notebook 250 ms (4/s), tty 100 ms, lines 10 s. */
  intervalMs?: number;
  /** Width of the terminal bar in characters. */
  barWidth?: number;
}

function underMocha(): boolean {
  const g = globalThis as { describe?: unknown; it?: unknown };
  return typeof g.describe === "function" && typeof g.it === "function";
}

/**
 * The mode for a new progress display. CNN_COURSE_PROGRESS forces one
 * ("0"/"off" silent, "lines", "tty", "1"/"on" = as outside tests); otherwise a notebook
 * gets "notebook", the test suite "silent", a terminal "tty" and anything else "lines".
 */
export function progressMode(): ProgressMode {
  const env = (process.env.CNN_COURSE_PROGRESS ?? "").toLowerCase();
  if (env === "0" || env === "off" || env === "silent") return "silent";
  if (env === "lines" || env === "tty" || env === "notebook") return env;
  if (canDisplayRich()) return "notebook";
  if (underMocha() && env !== "1" && env !== "on") return "silent";
  return process.stderr.isTTY ? "tty" : "lines";
}

/** Seconds as m:ss or h:mm:ss. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), ss = s % 60;
  const two = (v: number): string => String(v).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(ss)}` : `${m}:${two(ss)}`;
}

/** Items per second, or seconds per item when slower than one a second (pt-BR: "2,50/s", "3,9 s/item", "1.250/s"). */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return "?/s";
  if (perSecond < 1) return `${formatBR(1 / perSecond, 1)} s/item`;
  if (perSecond < 10) return `${formatBR(perSecond, 2)}/s`;
  if (perSecond < 100) return `${formatBR(perSecond, 1)}/s`;
  return `${formatBR(Math.round(perSecond))}/s`;
}

/**
 * A metric value with 4 significant digits, in pt-BR (0,4123, 12,35, 1.234); a string as it is,
 * so a caller that wants fixed decimals passes formatBR(v, 3).
 */
export function formatValue(v: number | string): string {
  if (typeof v === "string") return v;
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return formatBR(v);
  const abs = Math.abs(v);
  if (abs >= 1000) return formatBR(Math.round(v));
  if (abs >= 0.001) return formatBR(Number(v.toPrecision(4)), 20, true); // the 4 digits, no more
  return formatScientificBR(v, 2);
}

/** The state a renderer shows. */
export interface ProgressState {
  label: string;
  done: number;
  total: number;
  elapsedSec: number;
  info: ProgressInfo;
  finished: boolean;
  message?: string;
}

/** "label: 120/500 (24%) · 35,2/s · faltam 0:11 · loss 0,4123" (Portuguese: students read it). */
export function describeProgress(s: ProgressState): string {
  const pct = s.total > 0 ? Math.min(100, Math.floor((100 * s.done) / s.total)) : 100;
  const rate = s.elapsedSec > 0 ? s.done / s.elapsedSec : 0;
  const parts = [`${s.finished ? "✔ " : ""}${s.label}: ${formatBR(s.done)}/${formatBR(s.total)} (${pct}%)`];
  if (s.finished) parts.push(`em ${formatDuration(s.elapsedSec)}`);
  if (s.done > 0 && s.elapsedSec > 0) parts.push(formatRate(rate));
  if (!s.finished && s.done > 0 && s.done < s.total && rate > 0) parts.push(`faltam ${formatDuration((s.total - s.done) / rate)}`);
  const info = Object.entries(s.info).map(([k, v]) => `${k} ${formatValue(v)}`);
  if (info.length) parts.push(info.join(" · "));
  if (s.message) parts.push(s.message);
  return parts.join(" · ");
}

/** The text bar of a terminal: ▕██████░░░░░░▏. */
export function textBar(done: number, total: number, width: number): string {
  const frac = total > 0 ? Math.max(0, Math.min(1, done / total)) : 1;
  const full = Math.round(frac * width);
  return `▕${"█".repeat(full)}${"░".repeat(width - full)}▏`;
}

/** HTML of the notebook display: a <progress> bar and the description (readable without CSS). */
export function progressHtml(s: ProgressState): string {
  const max = Math.max(1, s.total);
  const value = Math.min(max, s.total > 0 ? s.done : max);
  return `<div class="cnn-course-progress" style="font-family:monospace;font-size:13px">` +
    `<progress value="${value}" max="${max}" style="width:220px;vertical-align:middle"></progress> ` +
    `<span>${escapeHtml(describeProgress(s))}</span></div>`;
}

function checkCount(what: string, v: number): void {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new Error(`progresso: ${what} deve ser um número finito >= 0, recebi ${String(v)}`);
  }
}

/**
 * A progress display for `total` items, e.g.
 * `const p = createProgress("Época 1/10", batches); ... p.tick(1, { loss }); ... p.finish();`
 */
export function createProgress(label: string, total: number, opts: ProgressOptions = {}): Progress {
  checkCount("total", total);
  const mode = opts.mode ?? progressMode();
  const now = opts.now ?? Date.now;
  const write = opts.write ?? ((t: string) => { process.stderr.write(t); });
  const interval = opts.intervalMs ?? (mode === "notebook" ? 250 : mode === "tty" ? 100 : 10000);
  const barWidth = opts.barWidth ?? 24;
  const started = now();
  let done = 0;
  let info: ProgressInfo = {};
  let finished = false;
  let lastRender = -Infinity;
  let display: UpdatableDisplay | null = null;

  const state = (message?: string): ProgressState =>
    ({ label, done, total, elapsedSec: (now() - started) / 1000, info, finished, message });

  const render = (force: boolean, message?: string): void => {
    const t = now();
    if (!force && t - lastRender < interval) return;
    lastRender = t;
    const s = state(message);
    if (mode === "notebook") {
      display = display ?? createUpdatableDisplay();
      display.show({ "text/html": progressHtml(s), "text/plain": describeProgress(s) });
    } else if (mode === "tty") {
      const columns = process.stderr.columns || 100;
      const line = `${textBar(done, total, barWidth)} ${describeProgress(s)}`.slice(0, Math.max(20, columns - 1));
      write(`\r${line}\x1b[K${finished ? "\n" : ""}`);
    } else if (mode === "lines") {
      write(`${describeProgress(s)}\n`);
    }
  };

  // Show the empty bar at once (not in log mode: a line per step is enough there).
  if (mode === "notebook" || mode === "tty") render(true);
  else lastRender = started;

  const update = (newDone: number, newInfo?: ProgressInfo): void => {
    if (finished) return;
    done = newDone;
    if (newInfo) info = { ...newInfo };
    render(false);
  };
  return {
    tick(n = 1, newInfo?: ProgressInfo): void {
      checkCount("tick(n)", n);
      update(done + n, newInfo);
    },
    set(newDone: number, newInfo?: ProgressInfo): void {
      checkCount("set(done)", newDone);
      update(newDone, newInfo);
    },
    finish(message?: string): void {
      if (finished) return;
      finished = true;
      render(true, message);
    },
    get done(): number { return done; },
    get total(): number { return total; },
  };
}
