// The progress display: what a notebook, a terminal and a CI log receive, with a fake clock.
import { strict as assert } from "assert";
import { MimeBundle, setDisplaySink } from "../../lib/view/display";
import { createProgress, describeProgress, formatDuration, formatRate, formatValue, progressMode, textBar } from "../../lib/view/progress";

function fakeClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

describe("progress", () => {
  afterEach(() => setDisplaySink(null));

  it("formats durations, rates and metric values for people", () => {
    assert.equal(formatDuration(5), "0:05");
    assert.equal(formatDuration(83), "1:23");
    assert.equal(formatDuration(3723), "1:02:03");
    assert.equal(formatRate(35.24), "35,2/s");
    assert.equal(formatRate(2.5), "2,50/s");
    assert.equal(formatRate(0.25), "4,0 s/item");
    assert.equal(formatRate(1234.4), "1.234/s");
    assert.equal(formatValue(0.412345), "0,4123");
    assert.equal(formatValue(12.3456), "12,35");
    assert.equal(formatValue(42), "42");
    assert.equal(formatValue(12345.6), "12.346");
    assert.equal(formatValue(0.0001234), "1,23e-4");
    assert.equal(formatValue("NORMAL"), "NORMAL");
    assert.equal(textBar(1, 4, 8), "▕██░░░░░░▏");
  });

  it("describes counts, percentage, rate, time left and the current values", () => {
    const text = describeProgress({ label: "Época 1/3", done: 120, total: 500, elapsedSec: 10, info: { loss: 0.41234, acc: 0.9 }, finished: false });
    assert.equal(text, "Época 1/3: 120/500 (24%) · 12,0/s · faltam 0:32 · loss 0,4123 · acc 0,9");
    const end = describeProgress({ label: "Época 1/3", done: 500, total: 500, elapsedSec: 40, info: {}, finished: true, message: "ok" });
    assert.equal(end, "✔ Época 1/3: 500/500 (100%) · em 0:40 · 12,5/s · ok");
  });

  it("updates one notebook display in place, at most 4 times a second, and always shows the end", () => {
    const sent: { bundle: MimeBundle; id: string | undefined; update: boolean }[] = [];
    setDisplaySink((bundle, id, update) => sent.push({ bundle, id, update }));
    const clock = fakeClock();
    const p = createProgress("Lotes", 100, { now: clock.now });
    assert.equal(progressMode(), "notebook");
    for (let i = 0; i < 100; i++) {
      clock.advance(10); // 100 ticks over 1 s
      p.tick(1, { loss: 1 / (i + 1) });
    }
    p.finish();
    // First display at creation, then one every 250 ms of the 1 s, then the final one.
    assert.equal(sent.length, 1 + 4 + 1);
    assert.ok(sent.every((s) => s.id === sent[0].id && s.id !== undefined), "all updates go to one display id");
    assert.deepEqual(sent.map((s) => s.update), [false, true, true, true, true, true]);
    const last = sent[sent.length - 1].bundle;
    assert.match(last["text/plain"], /^✔ Lotes: 100\/100 \(100%\) · em 0:01 · 100\/s · loss 0,01$/);
    assert.match(last["text/html"], /<progress value="100" max="100"/);
    p.tick(5);
    assert.equal(sent.length, 6, "nothing after finish");
    assert.equal(p.done, 100);
  });

  it("rewrites one bar line on a terminal and ends it with a newline", () => {
    let out = "";
    const clock = fakeClock();
    const p = createProgress("Imagens", 10, { mode: "tty", now: clock.now, write: (t) => { out += t; }, barWidth: 10 });
    for (let i = 0; i < 10; i++) { clock.advance(200); p.tick(); }
    p.finish("cache pronto");
    const frames = out.split("\r").filter(Boolean);
    assert.equal(frames.length, 12, "the empty bar, one frame per tick (200 ms apart), the final one");
    assert.equal(out.split("\n").length, 2, "a single newline, at the end");
    // eslint-disable-next-line no-control-regex -- the bar ends with the ANSI erase-line code (ESC [K)
    assert.match(frames[frames.length - 1], /^▕██████████▏ ✔ Imagens: 10\/10 \(100%\) · em 0:02 · 5,00\/s · cache pronto\x1b\[K\n$/);
  });

  it("writes a plain line now and then in logs, and nothing when silent", () => {
    const lines: string[] = [];
    const clock = fakeClock();
    const p = createProgress("Download", 1000, { mode: "lines", now: clock.now, write: (t) => lines.push(t), intervalMs: 10_000 });
    for (let i = 0; i < 1000; i++) { clock.advance(100); p.tick(); } // 100 s
    p.finish();
    assert.equal(lines.length, 10 + 1);
    assert.match(lines[0], /^Download: 100\/1\.000 \(10%\) · 10,0\/s · faltam 1:30\n$/);
    let silentOut = "";
    const q = createProgress("x", 3, { mode: "silent", write: (t) => { silentOut += t; } });
    q.tick(); q.finish();
    assert.equal(silentOut, "");
  });

  it("is silent under mocha unless CNN_COURSE_PROGRESS asks", () => {
    const saved = process.env.CNN_COURSE_PROGRESS;
    try {
      delete process.env.CNN_COURSE_PROGRESS;
      assert.equal(progressMode(), "silent");
      process.env.CNN_COURSE_PROGRESS = "lines";
      assert.equal(progressMode(), "lines");
    } finally {
      if (saved === undefined) delete process.env.CNN_COURSE_PROGRESS; else process.env.CNN_COURSE_PROGRESS = saved;
    }
  });

  it("rejects counts that are not finite non-negative numbers, saying which", () => {
    assert.throws(() => createProgress("x", -1, { mode: "silent" }), /total deve ser um número finito >= 0, recebi -1/);
    const p = createProgress("x", 3, { mode: "silent" });
    assert.throws(() => p.tick(Number.NaN), /tick\(n\) deve ser um número finito/);
  });
});
