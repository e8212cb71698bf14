// The check lines' symbols are characters DejaVu Sans Mono has, read from the font file's own
// character map (issue 29: the emoji they used showed as empty boxes in Chromium without an
// emoji font). Skipped where the font is not installed (CI installs fonts-dejavu-core).
import { strict as assert } from "assert";
import { formatReport, notDoneReport, referenceReport, summarize } from "../../lib/check/check";
import { MARKS } from "../../lib/check/marks";
import { Exercise } from "../../lib/check/types";
import { dejavuSansMonoFile, fontCodePoints, missingGlyphs } from "../helpers/glyphs";

describe("check lines use symbols DejaVu Sans Mono has", function () {
  let glyphs: Set<number>;
  before(function () {
    const file = dejavuSansMonoFile();
    if (!file) {
      if (process.env.CI === "true") throw new Error("CI=true but DejaVu Sans Mono is missing (apt-get install fonts-dejavu-core)");
      this.skip();
    }
    glyphs = fontCodePoints(file!);
  });

  it("reads the font's cmap: ASCII, Portuguese letters and the box-drawing rule are in, emoji are not", () => {
    assert.ok(glyphs.size > 3000, `${glyphs.size} code points`);
    assert.deepEqual(missingGlyphs("Revocação: 0,98 — ≥ · → ✓ ─", glyphs), []);
    assert.deepEqual(missingGlyphs("✅❌⏳🚫⚠️", glyphs), ["✅ U+2705", "❌ U+274C", "⏳ U+23F3", "🚫 U+1F6AB", "️ U+FE0F"]);
  });

  it("every mark, and every kind of report, prints only characters of the font", () => {
    assert.deepEqual(missingGlyphs(Object.values(MARKS).join(""), glyphs), []);
    const ex = { id: "x", title: "Contar NORMAL e PNEUMONIA", symbol: "countClasses" } as unknown as Exercise;
    const reports = [
      summarize(ex, [{ name: "caso 1", passed: true, message: "" }]),
      summarize(ex, [{ name: "caso 1", passed: false, message: "esperado 3, obtido 4" }]),
      notDoneReport(ex, 2), referenceReport(ex, "usa a implementação de referência do curso (x)", 2),
    ];
    const text = reports.map(formatReport).join("\n");
    assert.match(text, /^✔ Contar NORMAL e PNEUMONIA: 1\/1 casos passaram\.\n {2}✓ caso 1\n✘ Contar/);
    assert.deepEqual(missingGlyphs(text, glyphs), []);
  });
});
