// The one subplot grid of the course's figures (panels, imageGrid, historyChart): panels of
// given pixel sizes in rows of `columns`, each centred in its slot (a slot is as wide as the
// widest panel of its column and as tall as the tallest of its row), a title band above
// each row, turned into plotly axis domains (fractions of the plot area).

/** Where panel i goes: its x and y axis domains and the point above it for its title. */
export interface GridCell {
  x: [number, number];
  y: [number, number];
  /** Paper x of the panel's centre and y of its top (title anchor, yanchor "bottom"). */
  titleX: number;
  titleY: number;
}

export interface GridSpec {
  /** [width, height] in pixels of each panel. */
  sizes: [number, number][];
  /** Panels per row. */
  columns: number;
  /** Pixels between columns and between rows. */
  gapX: number;
  gapY: number;
  /** Pixels above each row for the panels' titles (0: titles overlap the gap above). */
  titleHeight: number;
  /** Per panel, the least width its slot needs (e.g. its title's width). */
  minWidths?: number[];
}

/** The plot area's size in pixels and each panel's domains. */
export function gridCells(spec: GridSpec): { width: number; height: number; cells: GridCell[] } {
  const { sizes, gapX, gapY, titleHeight } = spec;
  const n = sizes.length;
  const columns = Math.max(1, Math.min(spec.columns, n));
  const rows = Math.ceil(n / columns);
  const inColumn = (j: number): number[] => sizes.map((_, i) => i).filter((i) => i % columns === j);
  const inRow = (r: number): number[] => sizes.map((_, i) => i).filter((i) => Math.floor(i / columns) === r);
  const slotW = Array.from({ length: columns }, (_, j) => Math.max(...inColumn(j).map((i) => Math.max(sizes[i][0], spec.minWidths?.[i] ?? 0))));
  const slotH = Array.from({ length: rows }, (_, r) => Math.max(...inRow(r).map((i) => sizes[i][1])));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const width = sum(slotW) + gapX * (columns - 1);
  const height = sum(slotH) + titleHeight * rows + gapY * (rows - 1);
  const cells = sizes.map(([w, h], i): GridCell => {
    const col = i % columns, row = Math.floor(i / columns);
    const left = sum(slotW.slice(0, col)) + gapX * col + (slotW[col] - w) / 2;
    const top = sum(slotH.slice(0, row)) + (titleHeight + gapY) * row + titleHeight;
    const x: [number, number] = [left / width, (left + w) / width];
    const y: [number, number] = [1 - (top + h) / height, 1 - top / height];
    return { x, y, titleX: (x[0] + x[1]) / 2, titleY: y[1] };
  });
  return { width, height, cells };
}

/** Plotly's axis ids of subplot i: x, y for the first, x2, y2... after; and their layout keys. */
export function subplotAxes(i: number): { x: string; y: string; xKey: string; yKey: string } {
  const k = i === 0 ? "" : String(i + 1);
  return { x: `x${k}`, y: `y${k}`, xKey: `xaxis${k}`, yKey: `yaxis${k}` };
}

/** A title above a grid cell, as a paper-anchored annotation. */
export function cellTitle(text: string, cell: GridCell, size: number): { [key: string]: unknown } {
  return { text, showarrow: false, xref: "paper", yref: "paper", x: cell.titleX, y: cell.titleY, xanchor: "center", yanchor: "bottom", font: { size } };
}
