// The symbols that open check lines. Each is a character DejaVu Sans Mono has (the first
// monospace font of JupyterLab's output area on Linux, also in Menlo and Consolas' usual
// fallbacks), so it shows where no emoji font is installed: the emoji used before (✅ ❌ ⏳ 🚫 ⚠️)
// rendered as empty boxes in Chromium on such machines (issue 29). test/lessons/check-marks.test.ts
// reads the font's own character map to keep it so.
export const MARKS = {
  /** Every case passed. */
  passed: "✔",
  /** Some case failed. */
  failed: "✘",
  /** The exercise still holds todo(). */
  notDone: "☐",
  /** The submission used the course's reference (0 in the grading). */
  reference: "⊘",
  /** The check itself could not run. */
  error: "⚠",
  /** One case, passed / failed. */
  casePassed: "✓",
  caseFailed: "✗",
} as const;
