/** Dashboards (gcp-facts §5). */
import type { Type } from 'protobufjs';
import { fieldIndex, fullName, isType, messageTypeFor, resolvedType } from '../../schema/descriptors';
import { parseDurationSeconds } from '../../schema/validate';
import { childPath, indexPath, isPlainObject } from '../../schema/types';
import { arr, obj, str, type LintRule, type Obj } from '../rule';
import { timeSeriesQueries } from './queries';

const WIDGET_CONTENT = [
  'xyChart',
  'scorecard',
  'text',
  'blank',
  'alertChart',
  'timeSeriesTable',
  'collapsibleGroup',
  'logsPanel',
  'incidentList',
  'pieChart',
  'errorReportingPanel',
  'sectionHeader',
  'singleViewGroup',
];

const KIND = ['Dashboard'] as const;
const rule = (r: Omit<LintRule, 'kinds'>): LintRule => ({ ...r, kinds: KIND });

function toInt(v: unknown, dflt: number): number | undefined {
  if (v === undefined) return dflt;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

/** Every widget of the dashboard, with its path (tiles, grid/row/column widgets, nested groups). */
export function widgets(d: Obj): Array<{ path: string; w: Obj }> {
  const out: Array<{ path: string; w: Obj }> = [];
  const walk = (v: unknown, path: string, key?: string): void => {
    if ((key === 'widget' || /\.widgets\[\d+\]$/.test(path)) && obj(v)) out.push({ path, w: v as Obj });
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, indexPath(path, i)));
    else if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) walk(x, childPath(path, k), k);
  };
  walk(d, '$');
  return out;
}

interface Tile {
  i: number;
  path: string;
  x: number;
  y: number;
  w: number;
  h: number;
  group: boolean;
}

function tiles(d: Obj): Tile[] {
  const out: Tile[] = [];
  arr(obj(d.mosaicLayout)?.tiles).forEach((t, i) => {
    const o = obj(t) ?? {};
    const [x, y, w, h] = [toInt(o.xPos, 0), toInt(o.yPos, 0), toInt(o.width, 0), toInt(o.height, 0)];
    if (x === undefined || y === undefined || w === undefined || h === undefined) return;
    out.push({ i, path: indexPath('$.mosaicLayout.tiles', i), x, y, w, h, group: obj(o.widget)?.collapsibleGroup !== undefined });
  });
  return out;
}

const columnsOf = (d: Obj) => toInt(obj(d.mosaicLayout)?.columns, 0);

/** Canonical proto3 JSON duration: integer seconds, or 3/6/9 fraction digits (what the API returns). */
function isCanonicalDuration(s: string): boolean {
  if (/^-?(0|[1-9]\d*)s$/.test(s)) return true;
  const m = /^-?(0|[1-9]\d*)\.(\d{3}|\d{6}|\d{9})s$/.exec(s);
  return !!m && !/^0+$/.test(m[2]) && !/(000)$/.test(m[2]);
}

/** Walk a JSON object with its descriptor; `visit` gets the field type name (scalar type, enum or message full name). */
function walkTyped(type: Type, v: unknown, path: string, visit: (typeName: string, v: unknown, path: string, key: string) => void): void {
  const o = obj(v);
  if (!o) return;
  const index = fieldIndex(type);
  for (const [key, value] of Object.entries(o)) {
    const info = index.get(key);
    if (!info) continue;
    const p = childPath(path, key);
    const t = resolvedType(info.field);
    const typeName = t ? fullName(t) : info.field.type;
    visit(typeName, value, p, key);
    if (!isType(t) || typeName.startsWith('google.protobuf.')) continue;
    if (info.field.map && isPlainObject(value)) for (const [k, x] of Object.entries(value)) walkTyped(t, x, childPath(p, k), visit);
    else if (Array.isArray(value)) value.forEach((x, i) => walkTyped(t, x, indexPath(p, i), visit));
    else walkTyped(t, value, p, visit);
  }
}

export const dashboardRules: LintRule[] = [
  rule({
    id: 'dashboard/display-name',
    severity: 'error',
    source: 'gcp-facts §5.1',
    summary: 'displayName is required',
    check(d, report) {
      if (!str(d.displayName)) report('$.displayName', 'displayName is required (gcp-facts §5.1)');
    },
  }),
  rule({
    id: 'dashboard/output-fields',
    severity: 'warning',
    source: 'gcp-facts §5.1',
    summary: 'name and etag are not sent on create',
    check(d, report) {
      for (const k of ['name', 'etag']) if (d[k] !== undefined) report(`$.${k}`, `do not send ${k} on create (gcp-facts §5.1)`);
    },
  }),
  rule({
    id: 'dashboard/layout',
    severity: 'error',
    source: 'gcp-facts §5.1',
    summary: 'one of gridLayout, mosaicLayout, rowLayout, columnLayout',
    check(d, report) {
      if (!['gridLayout', 'mosaicLayout', 'rowLayout', 'columnLayout'].some((k) => d[k] !== undefined))
        report('$', 'one of gridLayout, mosaicLayout, rowLayout, columnLayout is required (gcp-facts §5.1)');
    },
  }),
  rule({
    id: 'dashboard/widget-content',
    severity: 'error',
    source: 'gcp-facts §5.3',
    summary: 'every widget has one content type',
    check(d, report) {
      for (const { path, w } of widgets(d)) {
        if (!Object.keys(w).some((k) => WIDGET_CONTENT.includes(k)))
          report(path, `a widget needs one content type (${WIDGET_CONTENT.join(', ')}) (gcp-facts §5.3)`);
      }
    },
  }),
  rule({
    id: 'dashboard/mosaic-columns',
    severity: 'error',
    source: 'gcp-facts §5.2',
    summary: 'a mosaic has 1 to 48 columns',
    check(d, report) {
      const m = obj(d.mosaicLayout);
      if (!m) return;
      const columns = columnsOf(d);
      if (columns === undefined || columns < 1 || columns > 48)
        report('$.mosaicLayout.columns', `mosaicLayout.columns must be 1 to 48, got ${String(m.columns)} (gcp-facts §5.2)`);
    },
  }),
  rule({
    id: 'dashboard/mosaic-tile',
    severity: 'error',
    source: 'gcp-facts §5.2',
    summary: 'tiles have non-negative positions, sizes ≥ 1 and fit in the columns',
    check(d, report) {
      const columns = columnsOf(d);
      for (const t of tiles(d)) {
        if (t.x < 0) report(`${t.path}.xPos`, 'xPos must be >= 0 (gcp-facts §5.2)');
        if (t.y < 0) report(`${t.path}.yPos`, 'yPos must be >= 0 (gcp-facts §5.2)');
        if (t.w < 1) report(`${t.path}.width`, 'width must be >= 1 (gcp-facts §5.2)');
        if (t.h < 1) report(`${t.path}.height`, 'height must be >= 1 (gcp-facts §5.2)');
        if (columns !== undefined && columns >= 1 && t.x + t.w > columns)
          report(t.path, `tile spans columns ${t.x}..${t.x + t.w - 1} but the layout has ${columns} columns (gcp-facts §5.2)`);
      }
    },
  }),
  rule({
    id: 'dashboard/mosaic-overlap',
    severity: 'error',
    source: 'gcp-facts §5.2 (overlap behaviour UNCONFIRMED, rejected)',
    summary: 'tiles do not overlap (a collapsible group covers its own tiles)',
    check(d, report) {
      const rects = tiles(d);
      for (let a = 0; a < rects.length; a++) {
        for (let b = a + 1; b < rects.length; b++) {
          const [r, s] = [rects[a], rects[b]];
          if (r.group !== s.group || r.w < 1 || r.h < 1 || s.w < 1 || s.h < 1) continue;
          if (r.x < s.x + s.w && s.x < r.x + r.w && r.y < s.y + s.h && s.y < r.y + r.h) {
            report(s.path, `tile ${s.i} overlaps tile ${r.i} (gcp-facts §5.2: overlap behaviour UNCONFIRMED, rejected)`);
          }
        }
      }
    },
  }),
  rule({
    id: 'dashboard/mql-deprecated',
    severity: 'warning',
    source: 'gcp-facts §1.2, §5.4',
    summary: 'MQL is deprecated',
    check(d, report) {
      for (const { value, path } of timeSeriesQueries(d)) {
        if (value.timeSeriesQueryLanguage !== undefined)
          report(`${path}.timeSeriesQueryLanguage`, 'MQL is deprecated; use timeSeriesFilter or prometheusQuery (gcp-facts §1.2, §5.4)');
      }
    },
  }),
  rule({
    id: 'dashboard/ratio-alignment',
    severity: 'error',
    source: 'gcp-facts §1.4, §5.4',
    summary: 'a chart ratio uses one alignment period in numerator and denominator',
    check(d, report) {
      for (const { value, path } of timeSeriesQueries(d)) {
        const ratio = obj(value.timeSeriesFilterRatio);
        if (!ratio) continue;
        const p = `${path}.timeSeriesFilterRatio`;
        const [num, den] = [obj(ratio.numerator), obj(ratio.denominator)];
        if (num && den && parseDurationSeconds(obj(num.aggregation)?.alignmentPeriod) !== parseDurationSeconds(obj(den.aggregation)?.alignmentPeriod)) {
          report(`${p}.denominator.aggregation.alignmentPeriod`, 'numerator and denominator must use the same alignment period (gcp-facts §1.4, §5.4)');
        }
      }
    },
  }),
  rule({
    id: 'dashboard/perpetual-diff',
    severity: 'warning',
    severityNote: 'error for Terraform-managed dashboards (synth)',
    source: 'gcp-facts §5.6',
    summary: 'no value the API drops or rewrites (zero, false, "", [], xPos/yPos 0, non-canonical durations)',
    check(d, report, ctx) {
      const severity = ctx.terraform ? 'error' : 'warning';
      walkTyped(messageTypeFor('Dashboard'), d, '$', (typeName, v, path, key) => {
        if (typeName === 'google.protobuf.Duration') {
          if (typeof v === 'string' && parseDurationSeconds(v) !== null && !isCanonicalDuration(v)) {
            report(path, `duration ${v} is not canonical; write "${String(parseDurationSeconds(v))}s" form as the API returns it (gcp-facts §5.6)`, severity);
          }
          return;
        }
        if (typeName === 'google.protobuf.Value' || typeName === 'google.protobuf.Struct' || typeName === 'google.protobuf.ListValue') return;
        if ((key === 'xPos' || key === 'yPos') && (v === 0 || v === '0')) {
          report(path, `"${key}": 0 is omitted by the API and causes a perpetual diff; leave the key out (gcp-facts §5.6)`, severity);
          return;
        }
        if (v === 0 || (v === '0' && /int|fixed/.test(typeName)))
          report(path, 'zero value is omitted by the API and causes a perpetual diff; leave the key out (gcp-facts §5.6)', severity);
        else if (v === false) report(path, 'false is omitted by the API and causes a perpetual diff; leave the key out (gcp-facts §5.6)', severity);
        else if (v === '') report(path, 'empty string is omitted by the API and causes a perpetual diff; leave the key out (gcp-facts §5.6)', severity);
        else if (Array.isArray(v) && v.length === 0)
          report(path, 'empty array is omitted by the API and causes a perpetual diff; leave the key out (gcp-facts §5.6)', severity);
      });
    },
  }),
];
