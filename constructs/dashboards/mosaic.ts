/**
 * A small typed builder for `mosaicLayout` (gcp-facts §5.2): rows of tiles with widths, placed left to right on a
 * 48-column grid, each row below the previous one. It refuses what the API or the console would not show well:
 * rows that do not fill the grid exactly, widths that cannot be shared evenly, tiles outside the grid.
 */

export const MOSAIC_COLUMNS = 48;

export interface MosaicTileInput<W> {
  /** Columns; tiles of a row without a width share the columns left equally. */
  width?: number;
  widget: W;
}

export interface MosaicRowInput<W> {
  height: number;
  tiles: Array<MosaicTileInput<W>>;
}

export interface PlacedTile<W> {
  xPos: number;
  yPos: number;
  width: number;
  height: number;
  widget: W;
}

export class MosaicError extends Error {}

const isPositiveInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 1;

/** Places rows of tiles on the mosaic. Throws MosaicError naming the row and the reason. */
export function layoutMosaic<W>(rows: ReadonlyArray<MosaicRowInput<W>>, columns: number = MOSAIC_COLUMNS): Array<PlacedTile<W>> {
  if (!isPositiveInt(columns) || columns > MOSAIC_COLUMNS) throw new MosaicError(`mosaic: columns must be 1..${MOSAIC_COLUMNS}, got ${columns}`);
  const placed: Array<PlacedTile<W>> = [];
  let y = 0;
  rows.forEach((row, r) => {
    if (!isPositiveInt(row.height)) throw new MosaicError(`mosaic: row ${r}: height must be a whole number >= 1, got ${row.height}`);
    if (row.tiles.length === 0) throw new MosaicError(`mosaic: row ${r} has no tiles`);
    const fixed = row.tiles.filter((t) => t.width !== undefined);
    for (const t of fixed) {
      if (!isPositiveInt(t.width)) throw new MosaicError(`mosaic: row ${r}: width must be a whole number >= 1, got ${t.width}`);
    }
    const used = fixed.reduce((sum, t) => sum + (t.width as number), 0);
    const flexible = row.tiles.length - fixed.length;
    const left = columns - used;
    if (left < 0 || (flexible === 0 && left !== 0)) {
      throw new MosaicError(`mosaic: row ${r}: tile widths add up to ${used}, the row must fill exactly ${columns} columns`);
    }
    if (flexible > 0 && (left < flexible || left % flexible !== 0)) {
      throw new MosaicError(`mosaic: row ${r}: ${left} columns cannot be shared evenly by ${flexible} tiles without a width`);
    }
    const share = flexible > 0 ? left / flexible : 0;
    let x = 0;
    for (const t of row.tiles) {
      const width = t.width ?? share;
      placed.push({ xPos: x, yPos: y, width, height: row.height, widget: t.widget });
      x += width;
    }
    y += row.height;
  });
  return placed;
}

/** A tile as it appears in `dashboard_json`: zero positions are omitted (gcp-facts §5.6). */
export interface TileBox {
  xPos?: number;
  yPos?: number;
  width?: number;
  height?: number;
}

/** Problems of a mosaic: tiles outside the grid, empty tiles, overlaps. Empty when the layout is sound. */
export function mosaicProblems(tiles: readonly TileBox[], columns: number = MOSAIC_COLUMNS): string[] {
  const problems: string[] = [];
  const boxes = tiles.map((t, i) => ({ i, x: t.xPos ?? 0, y: t.yPos ?? 0, w: t.width ?? 0, h: t.height ?? 0 }));
  for (const b of boxes) {
    if (!Number.isInteger(b.x) || b.x < 0 || !Number.isInteger(b.y) || b.y < 0)
      problems.push(`tile ${b.i}: position (${b.x}, ${b.y}) must be whole numbers >= 0`);
    if (!isPositiveInt(b.w) || !isPositiveInt(b.h)) problems.push(`tile ${b.i}: size ${b.w}x${b.h} must be at least 1x1`);
    if (b.x + b.w > columns) problems.push(`tile ${b.i}: spans columns ${b.x}..${b.x + b.w - 1}, outside the ${columns}-column grid`);
  }
  for (let a = 0; a < boxes.length; a++) {
    for (let b = a + 1; b < boxes.length; b++) {
      const p = boxes[a];
      const o = boxes[b];
      if (p.x < o.x + o.w && o.x < p.x + p.w && p.y < o.y + o.h && o.y < p.y + p.h) problems.push(`tile ${p.i} overlaps tile ${o.i}`);
    }
  }
  return problems;
}
