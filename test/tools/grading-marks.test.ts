// The grader's terminal table marks each exercise with characters DejaVu Sans Mono has (the
// emoji it used before, ✅ ❌ ⏳ 💥 🚫 ⛔, show as empty boxes where no emoji font is installed).
import { strict as assert } from "assert";
import { STATUS_MARK } from "../../tools/grader/report";
import { dejavuSansMonoFile, fontCodePoints, missingGlyphs } from "../helpers/glyphs";

describe("grader: the terminal table's status marks", function () {
  it("are characters of DejaVu Sans Mono, one per status, all different", function () {
    const file = dejavuSansMonoFile();
    if (!file) {
      if (process.env.CI === "true") throw new Error("CI=true but DejaVu Sans Mono is missing (apt-get install fonts-dejavu-core)");
      this.skip();
    }
    const marks = Object.values(STATUS_MARK);
    assert.deepEqual(missingGlyphs(marks.join(""), fontCodePoints(file!)), []);
    assert.equal(new Set(marks).size, marks.length);
    assert.equal(STATUS_MARK.passed, "✔");
  });
});
