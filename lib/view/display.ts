// Output to the notebook when running inside tslab, to the console elsewhere
// (tests, command-line tools), so lib code can show things without caring where it runs.
//
// tslab's public `display` sends exactly one MIME type per call. A chart needs more
// (HTML for Jupyter, plain text for terminals and text-only viewers), so `displayBundle`
// hands a whole MIME bundle to the same channel tslab's own `display` uses
// (`lastWriteDisplayData` of the cell being executed), and falls back to the public
// one-type API if a tslab version ever moves that internal.
import { platform } from "../common/platform";
import { tslabWriteDisplayData } from "cnn-course-engine";

/** MIME type → content, as in a Jupyter display_data message. */
export type MimeBundle = { [mime: string]: string };

interface DisplayMessage {
  data: MimeBundle;
  metadata: { [key: string]: unknown };
  transient: { display_id?: string };
}
type WriteDisplayData = (msg: DisplayMessage, update: boolean) => void;

function tslabModule(): typeof import("tslab") | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- tslab loads only inside its kernel
    return require("tslab") as typeof import("tslab");
  } catch {
    return null;
  }
}

function tslabWriter(): WriteDisplayData | null {
  return tslabWriteDisplayData(); // a private tslab internal: engine/src/internals.ts
}

/** True inside a tslab kernel (the kernel sets TSLAB_* internals; tslab's display needs them). */
export function inNotebook(): boolean {
  return platform().inNotebook();
}

/** Where display bundles go; tests replace it to see what a notebook would receive. */
export type DisplaySink = (bundle: MimeBundle, displayId: string | undefined, update: boolean) => void;

let sinkOverride: DisplaySink | null = null;

/** Sends display bundles to `sink` instead of the notebook (tests); `null` restores the default. */
export function setDisplaySink(sink: DisplaySink | null): void {
  sinkOverride = sink;
}

/** True when bundles reach a notebook (or a test sink), false in a terminal. */
export function canDisplayRich(): boolean {
  return sinkOverride !== null || (inNotebook() && tslabModule() !== null);
}

function send(bundle: MimeBundle, displayId: string | undefined, update: boolean): boolean {
  if (sinkOverride) {
    sinkOverride(bundle, displayId, update);
    return true;
  }
  if (!inNotebook()) return false;
  const write = tslabWriter();
  if (write) {
    write({ data: bundle, metadata: {}, transient: displayId ? { display_id: displayId } : {} }, update);
    return true;
  }
  const tslab = tslabModule();
  if (!tslab) return false;
  // Older/newer tslab without the internal channel: one MIME type, HTML preferred.
  // A tslab copy other than the kernel's has no channel at all ("Not ready"): say so in text.
  try {
    const html = bundle["text/html"];
    if (html !== undefined) tslab.display.html(html);
    else tslab.display.text(bundle["text/plain"] ?? "");
    return true;
  } catch {
    return false;
  }
}

/** Shows a MIME bundle as a new output; returns false when there is no notebook to show it in. */
export function displayBundle(bundle: MimeBundle): boolean {
  return send(bundle, undefined, false);
}

/** One output area entry that can be replaced in place (a progress bar, a live chart). */
export interface UpdatableDisplay {
  /** Shows `bundle`, replacing what this display showed before. False outside a notebook. */
  show(bundle: MimeBundle): boolean;
}

/** A display that the first `show` creates and later ones overwrite (Jupyter update_display_data). */
export function createUpdatableDisplay(): UpdatableDisplay {
  const id = `cnn-course-${platform().randomHex(6)}`;
  let shown = false;
  return {
    show(bundle: MimeBundle): boolean {
      const ok = send(bundle, id, shown);
      if (ok) shown = true;
      return ok;
    },
  };
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
