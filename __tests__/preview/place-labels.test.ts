/**
 * The preview page's threshold-label placement script (tools/preview/html.ts PLACE_LABELS_SCRIPT) run in a bare vm
 * context on fake boxes: what it decides, without a browser. (On the real pages, laid out by Chromium:
 * __tests__/browser/pages.test.ts.)
 */
import * as vm from 'node:vm';
import { PLACE_LABELS_SCRIPT } from '../../tools/preview/html';

const LABEL_WIDTH = 60;

/** A threshold label of `height` px whose line is at `linePercent` % of the plot: its box follows the top the script sets. */
function fakeLabel(linePercent: number, height: number) {
  const style: Record<string, string> = {};
  return {
    style,
    offsetHeight: height,
    getAttribute: (name: string) => (name === 'data-line' ? String(linePercent) : null),
    getBoundingClientRect: () => {
      const top = parseFloat(style.top ?? '0');
      const left = style.left === '2px' ? 2 : 400 - 2 - LABEL_WIDTH;
      return { left, right: left + LABEL_WIDTH, top, bottom: top + height };
    },
  };
}

/** Runs the script over one 100 px plot with these labels; a script that does not finish in a second fails. */
function place(labels: ReturnType<typeof fakeLabel>[]): void {
  const plot = { getBoundingClientRect: () => ({ height: 100 }), parentElement: { querySelectorAll: () => [] }, querySelectorAll: () => labels };
  const context = vm.createContext({ document: { querySelectorAll: () => [plot] }, window: { addEventListener: () => undefined } });
  vm.runInContext(PLACE_LABELS_SCRIPT, context, { timeout: 1000 });
}

describe('threshold label placement', () => {
  test('a label with no height (display:none, a hidden frame) is left alone and the script ends', () => {
    const hidden = fakeLabel(50, 0);
    const shown = [fakeLabel(50, 12), fakeLabel(50, 12)];
    place([shown[0], hidden, shown[1]]);
    expect(hidden.style).toEqual({});
    // The visible ones are still placed: the first above its line at the right, the second below it.
    expect(shown.map((l) => [l.style.top, l.style.right])).toEqual([
      ['38px', '2px'],
      ['50px', '2px'],
    ]);
  });
});
