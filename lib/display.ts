// Output to the notebook when running inside tslab, to the console elsewhere
// (tests, command-line tools), so lib code can show things without caring where it runs.
import type { Display } from "tslab";

function tslabDisplay(): Display | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const tslab = require("tslab") as typeof import("tslab");
    return tslab.display;
  } catch {
    return null;
  }
}

/** True inside a tslab kernel (the kernel sets TSLAB_* internals; tslab's display needs them). */
export function inNotebook(): boolean {
  return process.argv.some((a) => a.includes("tslab")) || process.env.CNN_COURSE_IN_NOTEBOOK === "1";
}

export function showHtml(html: string, fallbackText = "[gráfico]"): void {
  const d = inNotebook() ? tslabDisplay() : null;
  if (d) d.html(html);
  else console.log(fallbackText);
}

export function showText(text: string): void {
  console.log(text);
}
