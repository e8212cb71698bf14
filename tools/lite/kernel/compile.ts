// Turns one notebook cell of TypeScript into JavaScript that runs with tslab's semantics in a
// browser: top-level declarations persist from cell to cell, top-level `await` works, imports
// resolve to bundled modules, and the value of a final expression is returned for display.
//
// How: TypeScript strips the types (transpileModule, syntax errors only); the JavaScript is
// parsed again and each top-level statement rewritten as text:
//   import { a, b as c } from "m"   →  ({ a, b: c } = __require("m"));
//   import * as tf from "m"         →  tf = __require("m");
//   const { x, y } = e; let z;      →  ({ x, y } = e); z = undefined;
//   function f() {}  class C {}     →  f = function f() {} (hoisted to the top); C = class C {};
//   a final expression e            →  return { value: (e) };
// The declared names become properties of one scope object that every cell runs inside
// (`with (scope)`, in an async function), so a later cell sees and may redeclare them, as in tslab.
import * as ts from "typescript";

export interface CompiledCell {
  /** The body of an async function of (__scope, __require); empty when `errors` is not. */
  body: string;
  /** Names the cell declares at its top level (they go into the scope object). */
  names: string[];
  /** Syntax errors as tslab prints them: "line:column - message". */
  errors: string[];
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  // Keep every import, even one only a later cell uses (tslab keeps them too).
  verbatimModuleSyntax: true,
  isolatedModules: true,
  esModuleInterop: true,
};

/** Compiles one cell; `errors` lists syntax errors (then nothing runs). */
export function compileCell(source: string): CompiledCell {
  const out = ts.transpileModule(source, { compilerOptions: COMPILER_OPTIONS, reportDiagnostics: true, fileName: "cell.ts" });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error).map(formatDiagnostic);
  if (errors.length) return { body: "", names: [], errors };
  const js = out.outputText.replace(/\n?\/\/# sourceMappingURL=.*$/, "").replace(/^export \{\};\s*$/m, "");
  const file = ts.createSourceFile("cell.js", js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const names = new Set<string>();
  const hoisted: string[] = [];
  const body: string[] = [];
  const statements = file.statements;
  statements.forEach((st, i) => {
    const last = i === statements.length - 1;
    body.push(rewriteStatement(st, file, names, hoisted, last));
  });
  return { body: [...hoisted, ...body].join("\n"), names: [...names], errors: [] };
}

function formatDiagnostic(d: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, "\n");
  if (!d.file || d.start === undefined) return text;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${line + 1}:${character + 1} - ${text}`;
}

/** The node's text without leading `export` / `export default`. */
function textWithoutExport(node: ts.Node, file: ts.SourceFile): string {
  const mods = ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : [];
  const exportMods = mods.filter((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword);
  const start = exportMods.length ? exportMods[exportMods.length - 1].end : node.getStart(file);
  return file.text.slice(start, node.end).trim();
}

function rewriteStatement(st: ts.Statement, file: ts.SourceFile, names: Set<string>, hoisted: string[], last: boolean): string {
  if (ts.isImportDeclaration(st)) return rewriteImport(st, names);
  if (ts.isVariableStatement(st)) return rewriteVariables(st.declarationList, file, names);
  if (ts.isFunctionDeclaration(st) && st.name && st.body) {
    names.add(st.name.text);
    hoisted.push(`${st.name.text} = ${textWithoutExport(st, file)};`);
    return "";
  }
  if (ts.isClassDeclaration(st) && st.name) {
    names.add(st.name.text);
    return `${st.name.text} = ${textWithoutExport(st, file)};`;
  }
  if (ts.isExportDeclaration(st) || ts.isExportAssignment(st)) return "";
  if (last && ts.isExpressionStatement(st)) return `return { value: (${st.expression.getText(file)}) };`;
  return st.getText(file);
}

function rewriteImport(st: ts.ImportDeclaration, names: Set<string>): string {
  const from = `__require(${st.moduleSpecifier.getText()})`;
  const clause = st.importClause;
  if (!clause) return `${from};`;
  const parts: string[] = [];
  if (clause.name) {
    names.add(clause.name.text);
    parts.push(`${clause.name.text} = __default(${from});`);
  }
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    names.add(bindings.name.text);
    parts.push(`${bindings.name.text} = ${from};`);
  } else if (bindings && bindings.elements.length) {
    const props = bindings.elements.filter((e) => !e.isTypeOnly).map((e) => {
      names.add(e.name.text);
      return e.propertyName ? `${e.propertyName.getText()}: ${e.name.text}` : e.name.text;
    });
    if (props.length) parts.push(`({ ${props.join(", ")} } = ${from});`);
  }
  return parts.join(" ");
}

function rewriteVariables(list: ts.VariableDeclarationList, file: ts.SourceFile, names: Set<string>): string {
  return list.declarations.map((d) => {
    collectNames(d.name, names);
    const target = d.name.getText(file);
    if (!d.initializer) return ts.isIdentifier(d.name) ? `${target} = undefined;` : "";
    const assign = `${target} = ${d.initializer.getText(file)}`;
    return ts.isIdentifier(d.name) ? `${assign};` : `(${assign});`;
  }).join(" ");
}

function collectNames(name: ts.BindingName, names: Set<string>): void {
  if (ts.isIdentifier(name)) {
    names.add(name.text);
    return;
  }
  for (const el of name.elements) {
    if (ts.isBindingElement(el)) collectNames(el.name, names);
  }
}
