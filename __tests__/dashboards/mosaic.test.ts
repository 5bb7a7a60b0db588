import { layoutMosaic, MosaicError, mosaicProblems } from '../../constructs/dashboards/mosaic';

describe('layoutMosaic', () => {
  it('places rows left to right and accumulates yPos by row height', () => {
    const tiles = layoutMosaic([
      { height: 4, tiles: [{ widget: 'header' }] },
      {
        height: 16,
        tiles: [
          { width: 24, widget: 'a' },
          { width: 24, widget: 'b' },
        ],
      },
      { height: 10, tiles: [{ widget: 'c' }, { widget: 'd' }, { widget: 'e' }] },
    ]);
    expect(tiles.map((t) => [t.widget, t.xPos, t.yPos, t.width, t.height])).toEqual([
      ['header', 0, 0, 48, 4],
      ['a', 0, 4, 24, 16],
      ['b', 24, 4, 24, 16],
      ['c', 0, 20, 16, 10],
      ['d', 16, 20, 16, 10],
      ['e', 32, 20, 16, 10],
    ]);
    expect(mosaicProblems(tiles)).toEqual([]);
  });

  it('shares the columns left after fixed widths among tiles without a width', () => {
    const tiles = layoutMosaic([{ height: 8, tiles: [{ width: 12, widget: 'a' }, { widget: 'b' }, { widget: 'c' }] }]);
    expect(tiles.map((t) => [t.xPos, t.width])).toEqual([
      [0, 12],
      [12, 18],
      [30, 18],
    ]);
  });

  it.each([
    [
      'a row wider than the grid',
      [
        {
          height: 8,
          tiles: [
            { width: 40, widget: 'a' },
            { width: 12, widget: 'b' },
          ],
        },
      ],
      /add up to 52/,
    ],
    ['a row that does not fill the grid', [{ height: 8, tiles: [{ width: 40, widget: 'a' }] }], /must fill exactly 48/],
    ['columns that cannot be shared evenly', [{ height: 8, tiles: [{ width: 3, widget: 'a' }, { widget: 'b' }, { widget: 'c' }] }], /cannot be shared evenly/],
    ['a zero height', [{ height: 0, tiles: [{ widget: 'a' }] }], /height must be/],
    ['a fractional width', [{ height: 4, tiles: [{ width: 23.5, widget: 'a' }, { widget: 'b' }] }], /width must be/],
    ['an empty row', [{ height: 4, tiles: [] }], /no tiles/],
  ])('refuses %s', (_name, rows, message) => {
    expect(() => layoutMosaic(rows as never)).toThrow(MosaicError);
    expect(() => layoutMosaic(rows as never)).toThrow(message);
  });

  it('refuses more than 48 columns', () => {
    expect(() => layoutMosaic([{ height: 4, tiles: [{ widget: 'a' }] }], 60)).toThrow(/columns must be 1..48/);
  });
});

describe('mosaicProblems', () => {
  it('reads omitted positions as 0 (as dashboard_json writes them)', () => {
    expect(
      mosaicProblems([
        { width: 24, height: 4 },
        { xPos: 24, width: 24, height: 4 },
      ]),
    ).toEqual([]);
  });
  it('finds overlaps, tiles outside the grid and empty tiles', () => {
    expect(
      mosaicProblems([
        { width: 30, height: 4 },
        { xPos: 24, yPos: 2, width: 24, height: 4 },
      ]),
    ).toEqual(['tile 0 overlaps tile 1']);
    expect(mosaicProblems([{ xPos: 40, width: 12, height: 4 }])).toEqual(['tile 0: spans columns 40..51, outside the 48-column grid']);
    expect(mosaicProblems([{ width: 12 }])[0]).toMatch(/size 12x0/);
  });
  it('accepts tiles that only touch', () => {
    expect(
      mosaicProblems([
        { width: 24, height: 4 },
        { xPos: 24, width: 24, height: 4 },
        { yPos: 4, width: 48, height: 4 },
      ]),
    ).toEqual([]);
  });
});
