// npm run bench's JSON line: the figures the engine issue asks for, measured on a tiny model (the
// speed itself is a benchmark's business, not a test's: here only what the line holds).
import { strict as assert } from "assert";
import { benchTrainStep } from "../../tools/bench/train-step";

describe("npm run bench: the training-step line", function () {
  it("reports threads, CPU utilization, the step's phases and the step and predict times of the run", async () => {
    const result = await benchTrainStep({
      imageSize: 32, batch: 6, steps: 2, backend: "wasm", torch: false, torchScript: "", profile: false, leakSteps: 0, threads: 2,
    }, () => undefined);
    assert.equal(result.threads, 2);
    assert.equal(result.replicaMode, "sync");
    assert.equal(result.batch, 6);
    const num = (k: string): number => { assert.equal(typeof result[k], "number", k); return result[k] as number; };
    assert.ok(num("trainStepMs") > 0 && num("predictMs") > 0);
    // CPU time over wall time of the timed steps (workers included): at most the two threads, and
    // the ratio of the medians it is the total of (how much above 1 depends on the machine's load)
    assert.ok(num("cpuUtilization") > 0.3 && num("cpuUtilization") <= 2.2, `cpuUtilization ${result.cpuUtilization}`);
    const ofMedians = num("trainStepCpuMs") / num("trainStepMs");
    assert.ok(Math.abs(num("cpuUtilization") - ofMedians) < 0.3 * ofMedians, `cpuUtilization ${result.cpuUtilization} vs ${ofMedians}`);
    const phases = result.phasesMs as Record<string, number>;
    assert.deepEqual(Object.keys(phases), ["own", "wait", "combine", "optimizer", "publish"]);
    assert.ok(phases.own > 0 && phases.optimizer > 0, JSON.stringify(phases));
    assert.ok(phases.own + phases.optimizer < num("trainStepMs") * 1.5, "the phases are parts of a step");
    assert.equal(result.pytorch, undefined);
  });
});
