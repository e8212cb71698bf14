// The part of opentype.js (which ships no types) that test/helpers/glyphs.ts uses.
declare module "opentype.js" {
  export interface Font {
    tables: { cmap?: { glyphIndexMap: Record<number, number> } };
  }
  export function parse(buffer: ArrayBuffer): Font;
}
