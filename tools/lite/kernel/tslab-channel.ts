// Stands in for `tslab` and `tslab/dist/jupyter` in the browser bundle of cnn-course, so that
// lib/view/display.ts sends its MIME bundles exactly as under tslab: through
// `lastWriteDisplayData(msg, update)`, which the browser kernel points at the running cell.
export interface DisplayMessage {
  data: { [mime: string]: string };
  metadata: { [key: string]: unknown };
  transient: { display_id?: string };
}
export type WriteDisplayData = (msg: DisplayMessage, update: boolean) => void;

// A live binding on purpose: tslab's own module exports this variable, reassigned per cell.
export let lastWriteDisplayData: WriteDisplayData | null = null;

/** Points the display channel at the cell being executed (the kernel calls it). */
export function setDisplayWriter(writer: WriteDisplayData | null): void {
  lastWriteDisplayData = writer;
}

function one(mime: string): (content: string) => void {
  return (content) => lastWriteDisplayData?.({ data: { [mime]: content }, metadata: {}, transient: {} }, false);
}

/** tslab's public one-type display API. */
export const display = {
  html: one("text/html"),
  text: one("text/plain"),
  markdown: one("text/markdown"),
  png: (bytes: Uint8Array) => one("image/png")(btoa(String.fromCharCode(...bytes))),
};
