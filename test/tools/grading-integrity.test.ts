// Issue #22, the integrity report: similarity on a synthetic class (independent solutions
// written by hand, copies between students, hand copies of the course's source), symbolic
// links and paths outside the folder refused, a solution's bytes flagged. Without a kernel.
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { similarityClass } from "../fixtures/grading/similarity-class";
import { loadCourseSource } from "../../tools/grader/assemble";
import { courseFileHashes, submissionPathProblem } from "../../tools/grader/integrity/files";
import { referenceSamples } from "../../tools/grader/integrity/references";
import { normalizedTokens, similarPairs } from "../../tools/grader/integrity/similarity";
import { listSubmissions } from "../../tools/grader/grader";
import { sha256 } from "../../tools/common/hash";

const ROOT = path.resolve(__dirname, "..", "..");

describe("similarity report (synthetic class)", () => {
  const sources = ["02-filtros-convolucao", "05-pooling", "08-camadas-batchnorm"].map((n) => loadCourseSource(path.join(ROOT, "solutions", `${n}.ipynb`)));
  const pairs = similarPairs(similarityClass, referenceSamples(sources));
  const isCopy = (a: string, b: string, exercise: string): boolean => similarityClass.some((s) => s.exercise === exercise &&
    ((s.owner === a && s.copyOf === b) || (s.owner === b && s.copyOf === a)));

  it("normalizes names, types, comments and whitespace away", () => {
    const a = normalizedTokens("function f(x: number): number {\n  // dobro\n  return x * 2;\n}");
    const b = normalizedTokens("function   dobro(valor){ /* outro comentário */ return valor*2 }");
    assert.deepEqual(a, b);
    assert.deepEqual(a, ["function", "ID", "(", "ID", ")", "{", "return", "ID", "*", "2", "}"]);
  });

  it("flags every copy between students, and no pair of independent solutions", () => {
    const studentPairs = pairs.filter((p) => p.kind === "student");
    const copies = similarityClass.filter((s) => s.copyOf && s.copyOf !== "reference");
    for (const c of copies) assert.ok(studentPairs.some((p) => p.exercise === c.exercise && isCopy(p.a, p.b, p.exercise)), `${c.owner} copied ${c.copyOf} (${c.exercise})`);
    const falsePositives = studentPairs.filter((p) => !isCopy(p.a, p.b, p.exercise));
    const independentPairs = countIndependentPairs();
    console.log(`      student pairs: ${studentPairs.length} flagged, ${copies.length} copies in the class, ${falsePositives.length} false positives among ${independentPairs} independent pairs`);
    assert.deepEqual(falsePositives, []);
  });

  it("flags a hand copy of the course's source (the lib function, the solution cell) and says how often an independent solution is flagged", () => {
    const refPairs = pairs.filter((p) => p.kind === "reference");
    const flagged = new Set(refPairs.map((p) => `${p.a}/${p.exercise}`));
    for (const who of ["gabriel/apply-filter-at", "carla/max-pool"]) assert.ok(flagged.has(who), `${who} copied the course`);
    const handCopies = similarityClass.filter((s) => s.copyOf === "reference");
    const caught = handCopies.filter((s) => flagged.has(`${s.owner}/${s.exercise}`));
    // Independent: written from scratch (not a copy of the course nor of a classmate).
    const independent = similarityClass.filter((s) => !s.copyOf && normalizedTokens(s.code).length >= 40);
    const falsePositives = refPairs.filter((p) => independent.some((s) => s.owner === p.a && s.exercise === p.exercise));
    console.log(`      against the course: ${refPairs.length} flagged; ${caught.length} of ${handCopies.length} hand copies caught ` +
      `(missed: ${handCopies.filter((s) => !caught.includes(s)).map((s) => `${s.owner}/${s.exercise}`).join(", ") || "none"}); ` +
      `${falsePositives.length} of ${independent.length} independent solutions flagged: ${falsePositives.map((p) => `${p.a}/${p.exercise} ${p.similarity}`).join(", ")}`);
    // Measured: an independent batchnorm-train written the natural way is that close to the solution cell.
    assert.ok(falsePositives.length <= 1, JSON.stringify(falsePositives));
  });
});

function countIndependentPairs(): number {
  let n = 0;
  for (let i = 0; i < similarityClass.length; i++) {
    for (let j = i + 1; j < similarityClass.length; j++) {
      const a = similarityClass[i], b = similarityClass[j];
      if (a.exercise === b.exercise && a.copyOf !== b.owner && b.copyOf !== a.owner) n++;
    }
  }
  return n;
}

describe("submission files", () => {
  let dir = "";
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "integrity-"));
    fs.mkdirSync(path.join(dir, "turma"));
    fs.copyFileSync(path.join(ROOT, "notebooks", "00-boas-vindas.ipynb"), path.join(dir, "turma", "ana.ipynb"));
    fs.symlinkSync(path.join(ROOT, "solutions", "02-filtros-convolucao.ipynb"), path.join(dir, "turma", "02-filtros-convolucao.ipynb"));
    fs.symlinkSync(path.join(ROOT, "solutions"), path.join(dir, "turma", "pasta"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a symbolic link to a solution is listed, not followed, and refused with the reason", () => {
    const entries = listSubmissions(path.join(dir, "turma"));
    assert.deepEqual(entries.map((e) => e.student), ["02-filtros-convolucao", "ana", "pasta"]);
    const problems = entries.map((e) => submissionPathProblem(e.file, e.root ?? null));
    assert.match(problems[0] ?? "", /^link simbólico \(aponta para .*solutions\/02-filtros-convolucao\.ipynb\): recusado/);
    assert.equal(problems[1], null);
    assert.match(problems[2] ?? "", /^link simbólico/);
  });

  it("a path that leads outside the folder is refused", () => {
    assert.match(submissionPathProblem(path.join(ROOT, "solutions", "00-boas-vindas.ipynb"), path.join(dir, "turma")) ?? "", /fora da pasta de envios/);
  });

  it("a solution's bytes are known by their sha256", () => {
    const hashes = courseFileHashes([path.join(ROOT, "solutions")]);
    const bytes = fs.readFileSync(path.join(ROOT, "solutions", "02-filtros-convolucao.ipynb"));
    assert.equal(hashes.get(sha256(bytes)), path.join(ROOT, "solutions", "02-filtros-convolucao.ipynb"));
    assert.equal(hashes.get(sha256(fs.readFileSync(path.join(dir, "turma", "ana.ipynb")))), undefined);
  });
});
