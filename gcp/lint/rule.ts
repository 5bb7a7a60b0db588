/**
 * A lint rule: one platform fact, checked. Every rule has a stable id, a default severity, the source of the fact (a
 * gcp-facts section or a Google page) and its check. The registry (registry.ts) lists them all; the README's rule
 * table is generated from it and every id has a test that shows it firing and not firing.
 */
import type { KnownMetrics } from '../facts/metrics';
import type { ApiKind, Severity } from '../schema/types';

export type Obj = Record<string, unknown>;

export interface LintContext {
  /** Metric kinds, value types and labels the aggregation and label rules look metrics up in. */
  knownMetrics: KnownMetrics;
  /** The object comes from Terraform (synth): perpetual-diff rules become errors, `${...}` is accepted. */
  terraform: boolean;
}

/** Reports one finding of the running rule; the severity defaults to the rule's. */
export type Report = (path: string, message: string, severity?: Severity) => void;

export interface LintRule {
  id: string;
  /** The API resources the rule reads. */
  kinds: readonly ApiKind[];
  severity: Severity;
  /** When the severity differs from the default, and why. */
  severityNote?: string;
  /** Where the fact comes from: a gcp-facts section (docs/reference/gcp-facts.md) or a Google page. */
  source: string;
  /** What the rule checks, in one line. */
  summary: string;
  check(resource: Obj, report: Report, ctx: LintContext): void;
}

/** A rule over a whole synthesized stack (counts against quotas, literal secrets in Terraform bodies). */
export interface StackRule {
  id: string;
  severity: Severity;
  source: string;
  summary: string;
  check(stack: StackView, report: (resource: string | undefined, path: string, message: string, severity?: Severity) => void): void;
}

/** What a stack rule sees: each convertible resource, with its Terraform body and API form. */
export interface StackView {
  resources: ReadonlyArray<{ address: string; kind: ApiKind; tfBody: Obj; api: Obj }>;
  /** The synth's whole `resource` block (type → name → body), for counts over types the lint does not convert. */
  resourceBlock: Obj;
}

// Small readers of API JSON shared by the rule files.
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined);
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');
export const codePoints = (s: string): number => [...s].length;
