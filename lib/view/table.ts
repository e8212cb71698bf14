// Tables as tables: an HTML <table> for the notebook (JupyterLab, Notebook and the site style
// it; their sanitizers keep it in untrusted notebooks) with an aligned plain-text fallback for
// terminals and text-only viewers. Numbers are written in pt-BR (0,823; 3.496.801) with a
// fixed number of decimals per column, so a column of metrics reads at a glance.
import { formatBR } from "../common/format";
import { canDisplayRich, displayBundle, escapeHtml, MimeBundle } from "./display";

export type TableCell = string | number | null | undefined;

export interface TableColumn {
  header: string;
  /** Decimals of this column's numbers, integers included (default: the table's `digits`, else 3, for non-integers only). */
  digits?: number;
  /** Default: right for a column of numbers, left otherwise. */
  align?: "left" | "right";
}

export interface Table {
  columns: (string | TableColumn)[];
  rows: TableCell[][];
  /** A line above the table. */
  caption?: string;
  /** A line below it (a source, a note). */
  note?: string;
  /** Decimals of non-integer numbers in columns that do not set their own (default 3). */
  digits?: number;
}

interface Prepared { headers: string[]; cells: string[][]; right: boolean[] }

function prepare(table: Table): Prepared {
  const columns = table.columns.map((c): TableColumn => (typeof c === "string" ? { header: c } : c));
  if (columns.length === 0) throw new Error("tabela: passe pelo menos uma coluna");
  table.rows.forEach((row, i) => {
    if (row.length !== columns.length) throw new Error(`tabela: a linha ${i + 1} tem ${row.length} valores para ${columns.length} colunas`);
  });
  // A column that sets its digits, or holds any non-integer number, writes all its numbers with the
  // same decimals (1 → "1,000"); a column of counts keeps its integers as they are.
  const decimal = columns.map((c, j) => c.digits !== undefined || table.rows.some((row) => typeof row[j] === "number" && !Number.isInteger(row[j])));
  const cells = table.rows.map((row) => row.map((v, j) => {
    const digits = columns[j].digits ?? table.digits ?? 3;
    if (typeof v === "number") return decimal[j] ? formatBR(v, digits) : formatBR(v);
    return v === null || v === undefined ? "—" : v;
  }));
  const right = columns.map((c, j) => c.align ? c.align === "right"
    : table.rows.length > 0 && table.rows.every((row) => typeof row[j] === "number" || row[j] === null || row[j] === undefined));
  return { headers: columns.map((c) => c.header), cells, right };
}

/** The table as aligned plain text (columns two spaces apart, the header underlined). */
export function formatTable(table: Table): string {
  const { headers, cells, right } = prepare(table);
  const widths = headers.map((h, j) => Math.max([...h].length, ...cells.map((r) => [...r[j]].length)));
  const pad = (s: string, j: number): string => {
    const fill = " ".repeat(widths[j] - [...s].length);
    return right[j] ? fill + s : s + fill;
  };
  const line = (r: string[]): string => r.map(pad).join("  ").trimEnd();
  const lines = [line(headers), widths.map((w) => "─".repeat(w)).join("  "), ...cells.map(line)];
  if (table.caption) lines.unshift(table.caption);
  if (table.note) lines.push(table.note);
  return lines.join("\n");
}

/** The table as HTML (caption, header row, one row per entry; numbers right-aligned). */
export function tableHtml(table: Table): string {
  const { headers, cells, right } = prepare(table);
  const align = (j: number): string => ` style="text-align:${right[j] ? "right" : "left"}"`;
  const head = `<tr>${headers.map((h, j) => `<th${align(j)}>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body = cells.map((r) => `<tr>${r.map((c, j) => `<td${align(j)}>${escapeHtml(c)}</td>`).join("")}</tr>`).join("");
  const caption = table.caption ? `<caption style="caption-side:top;text-align:left">${escapeHtml(table.caption)}</caption>` : "";
  const note = table.note ? `<p>${escapeHtml(table.note)}</p>` : "";
  return `<div class="cnn-course-table"><table>${caption}<thead>${head}</thead><tbody>${body}</tbody></table>${note}</div>`;
}

/** The display bundle of a table: HTML, and the aligned text for text-only views. */
export function tableBundle(table: Table): MimeBundle {
  return { "text/html": tableHtml(table), "text/plain": formatTable(table) };
}

/** Shows a table in the notebook (HTML), or prints its text version in a terminal. */
export function showTable(table: Table): void {
  const bundle = tableBundle(table);
  if (!canDisplayRich() || !displayBundle(bundle)) console.log(bundle["text/plain"]);
}
