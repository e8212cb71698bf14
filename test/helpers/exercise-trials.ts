// Shared checks for exercise definitions: for each exercise, the lib reference passes
// every public and hidden case, a typical mistake fails with a Portuguese message,
// and an untouched stub reports "not done". Used by the lecture exercise tests.
import { strict as assert } from "assert";
import { loadHiddenCases } from "../../tools/grader/hidden-cases";
import { evaluate } from "../../lib/check/check";
import { getExercise } from "../../lib/check/registry";
import { todo } from "../../lib/check/todo";

/** The references are the course's own functions: checked here with the reference watch off (see grading-reference.test.ts). */
const UNWATCHED = { watchReferences: false };

export interface ExerciseTrial {
  id: string;
  notebook: string;
  /** A correct submission (usually the lib reference). */
  reference: unknown;
  /** A plausible wrong submission that some case must catch. */
  mistake: unknown;
  /** More plausible wrong submissions, by what they get wrong: each must fail a public case too. */
  moreMistakes?: Record<string, unknown>;
}

export interface TrialOptions {
  /** Every failure message must match this (default: the compare messages' "esperado"). */
  message?: RegExp;
  minPublic?: number;
  minHidden?: number;
}

export function describeExerciseTrials(trials: ExerciseTrial[], opts: TrialOptions = {}): void {
  const message = opts.message ?? /esperado/;
  for (const t of trials) {
    describe(t.id, () => {
      it("the lib reference passes every public case", async () => {
        const report = await evaluate(t.id, t.reference, undefined, UNWATCHED);
        assert.equal(report.status, "passed", JSON.stringify(report.cases.filter((c) => !c.passed)));
        assert.ok(report.total >= (opts.minPublic ?? 1), `${report.total} cases`);
        assert.equal(getExercise(t.id).notebook, t.notebook);
      });

      it("the lib reference passes every hidden case", async () => {
        const hidden = loadHiddenCases(t.notebook)[t.id];
        assert.ok(hidden && hidden.length >= (opts.minHidden ?? 1), `hidden cases for ${t.id}`);
        const report = await evaluate(t.id, t.reference, hidden, UNWATCHED);
        assert.equal(report.status, "passed", JSON.stringify(report.cases.filter((c) => !c.passed)));
      });

      it("a typical mistake fails with a Portuguese message", async () => {
        const report = await evaluate(t.id, t.mistake, undefined, UNWATCHED);
        assert.equal(report.status, "failed");
        const failed = report.cases.filter((c) => !c.passed);
        assert.ok(failed.length >= 1 && failed.every((c) => message.test(c.message)), JSON.stringify(failed));
      });

      for (const [what, wrong] of Object.entries(t.moreMistakes ?? {})) {
        it(`fails a plausible mistake: ${what}`, async () => {
          const report = await evaluate(t.id, wrong);
          assert.equal(report.status, "failed", JSON.stringify(report));
          const failed = report.cases.filter((c) => !c.passed);
          assert.ok(failed.length >= 1 && failed.every((c) => message.test(c.message)), JSON.stringify(failed));
        });
      }

      it("an untouched stub reports not done", async () => {
        const report = await evaluate(t.id, () => todo());
        assert.equal(report.status, "not-done");
      });
    });
  }
}
