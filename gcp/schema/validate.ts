/**
 * Strict descriptor-walking validator of API JSON (proto3 JSON mapping) against Google's own descriptors.
 *
 * Rules (all `schema/*`):
 * - each key must be a field of the message, by lowerCamelCase JSON name or by proto name (not both for one field);
 * - repeated fields must be arrays, map fields objects (values checked by the map value type);
 * - two members of one oneof = error;
 * - enums by name; enum NUMBERS are rejected (decision: generated config must use the names the API returns and that
 *   Terraform diffs against, even though the proto3 JSON parser would accept numbers);
 * - scalars: int32/uint32 (number or decimal string, in range), int64/uint64 (number or decimal string; numbers beyond
 *   2^53 are reported), double/float (number, numeric string, "NaN", "Infinity", "-Infinity"), bool, string,
 *   bytes (base64, standard or URL-safe alphabet);
 * - well-known types: Duration `"<n>s"` with up to 9 decimals, Timestamp RFC 3339, Struct/Value/ListValue, wrappers
 *   (BoolValue → bool, ...), FieldMask, Any;
 * - `(google.api.field_behavior) = REQUIRED` fields must be present; OUTPUT_ONLY fields are reported as warnings;
 * - `null` is reported as a warning (the API treats it as "unset"), except for google.protobuf.Value.
 *
 * With `allowInterpolation`, Terraform interpolations (`"${...}"`) are accepted wherever the JSON form is a string
 * (string, enum, bytes, Duration, Timestamp) and reported where a number or bool is expected.
 */
import type { Enum, Field, Type } from 'protobufjs';
import { fieldBehaviors, fieldIndex, fullName, isEnum, isType, messageTypeFor, realOneofs, resolvedType } from './descriptors';
import { childPath, indexPath, isInterpolation, isPlainObject, type ApiKind, type Finding } from './types';

export interface ValidateOptions {
  /** Accept `${...}` Terraform interpolations where the JSON form is a string. */
  allowInterpolation?: boolean;
  /** Report missing REQUIRED fields (default true). */
  checkRequired?: boolean;
  /** Root path (default `$`). */
  rootPath?: string;
}

interface Ctx {
  findings: Finding[];
  allowInterpolation: boolean;
  checkRequired: boolean;
}

export function validateApiResource(kind: ApiKind, obj: unknown, options: ValidateOptions = {}): Finding[] {
  const ctx: Ctx = { findings: [], allowInterpolation: options.allowInterpolation ?? false, checkRequired: options.checkRequired ?? true };
  validateMessage(messageTypeFor(kind), obj, options.rootPath ?? '$', ctx);
  return ctx.findings;
}

/** Validate against any message type of the loaded descriptors (used by tests and other tools). */
export function validateMessageType(type: Type, obj: unknown, options: ValidateOptions = {}): Finding[] {
  const ctx: Ctx = { findings: [], allowInterpolation: options.allowInterpolation ?? false, checkRequired: options.checkRequired ?? true };
  validateMessage(type, obj, options.rootPath ?? '$', ctx);
  return ctx.findings;
}

function err(ctx: Ctx, path: string, rule: string, message: string): void {
  ctx.findings.push({ severity: 'error', path, rule, message });
}

function warn(ctx: Ctx, path: string, rule: string, message: string): void {
  ctx.findings.push({ severity: 'warning', path, rule, message });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function validateMessage(type: Type, value: unknown, path: string, ctx: Ctx): void {
  const name = fullName(type);
  if (WKT_VALIDATORS[name]) {
    WKT_VALIDATORS[name](value, path, ctx);
    return;
  }
  if (!isPlainObject(value)) {
    if (typeof value === 'string' && ctx.allowInterpolation && isInterpolation(value)) {
      err(ctx, path, 'schema/interpolated-message', `expected a ${name} object, got the Terraform expression ${value}`);
    } else {
      err(ctx, path, 'schema/wrong-type', `expected a ${name} object, got ${describe(value)}`);
    }
    return;
  }
  const index = fieldIndex(type);
  const seen = new Map<string, string>(); // jsonName → key used
  for (const [key, v] of Object.entries(value)) {
    const p = childPath(path, key);
    const info = index.get(key);
    if (!info) {
      err(ctx, p, 'schema/unknown-field', `unknown field "${key}" in ${name}${suggest(key, type)}`);
      continue;
    }
    const prev = seen.get(info.jsonName);
    if (prev !== undefined) {
      err(ctx, p, 'schema/duplicate-field', `"${key}" and "${prev}" are the same field ${name}.${info.protoName}`);
      continue;
    }
    seen.set(info.jsonName, key);
    const behaviors = fieldBehaviors(info.field);
    if (behaviors.includes('OUTPUT_ONLY')) warn(ctx, p, 'schema/output-only', `${name}.${info.protoName} is output only; the API ignores it on write`);
    validateField(info.field, v, p, ctx);
  }
  for (const oneof of realOneofs(type)) {
    const present = oneof.members.filter((m) => {
      const key = seen.get(m);
      return key !== undefined && value[key] !== null && value[key] !== undefined;
    });
    if (present.length > 1) {
      err(
        ctx,
        path,
        'schema/oneof-conflict',
        `${present.map((m) => seen.get(m)).join(' and ')} are members of the oneof "${oneof.name}" of ${name}: set only one`,
      );
    }
  }
  if (ctx.checkRequired) {
    for (const field of type.fieldsArray) {
      if (!fieldBehaviors(field).includes('REQUIRED')) continue;
      const key = seen.get(field.name);
      if (key === undefined || value[key] === null || value[key] === undefined) {
        err(ctx, childPath(path, field.name), 'schema/required', `${name}.${field.name} is required`);
      }
    }
  }
}

function suggest(key: string, type: Type): string {
  const lower = key.toLowerCase().replace(/_/g, '');
  const hit = type.fieldsArray.find((f) => f.name.toLowerCase() === lower);
  return hit ? ` (did you mean "${hit.name}"?)` : '';
}

function validateField(field: Field, value: unknown, path: string, ctx: Ctx): void {
  if (value === null) {
    const t = resolvedType(field);
    if (t && fullName(t) === 'google.protobuf.Value') return;
    warn(ctx, path, 'schema/null', 'null value (the API treats it as unset); omit the field');
    return;
  }
  if (field.map) {
    if (!isPlainObject(value)) {
      err(ctx, path, 'schema/wrong-type', `expected a map (object) of ${mapKeyType(field)} → ${field.type}, got ${describe(value)}`);
      return;
    }
    const keyType = mapKeyType(field);
    for (const [k, v] of Object.entries(value)) {
      const p = childPath(path, k);
      if (keyType !== 'string') checkMapKey(keyType, k, p, ctx);
      validateSingle(field, v, p, ctx);
    }
    return;
  }
  if (field.repeated) {
    if (!Array.isArray(value)) {
      err(ctx, path, 'schema/wrong-type', `expected an array (repeated ${field.type}), got ${describe(value)}`);
      return;
    }
    value.forEach((item, i) => validateSingle(field, item, indexPath(path, i), ctx));
    return;
  }
  validateSingle(field, value, path, ctx);
}

function mapKeyType(field: Field): string {
  return (field as unknown as { keyType: string }).keyType;
}

function checkMapKey(keyType: string, k: string, path: string, ctx: Ctx): void {
  if (keyType === 'bool') {
    if (k !== 'true' && k !== 'false') err(ctx, path, 'schema/wrong-type', `map key must be "true" or "false"`);
  } else if (!/^-?\d+$/.test(k)) {
    err(ctx, path, 'schema/wrong-type', `map key must be a decimal ${keyType}`);
  }
}

function validateSingle(field: Field, value: unknown, path: string, ctx: Ctx): void {
  if (value === null) {
    const t = resolvedType(field);
    if (t && fullName(t) === 'google.protobuf.Value') return;
    warn(ctx, path, 'schema/null', 'null value (the API treats it as unset); omit it');
    return;
  }
  const t = resolvedType(field);
  if (isType(t)) {
    validateMessage(t, value, path, ctx);
    return;
  }
  if (isEnum(t)) {
    validateEnum(t, value, path, ctx);
    return;
  }
  validateScalar(field.type, value, path, ctx);
}

function validateEnum(e: Enum, value: unknown, path: string, ctx: Ctx): void {
  const name = fullName(e);
  if (typeof value === 'number') {
    const byNumber = Object.entries(e.values).find(([, n]) => n === value);
    err(ctx, path, 'schema/enum-number', `enum ${name} must be given by name${byNumber ? ` ("${byNumber[0]}")` : ''}, not by number ${value}`);
    return;
  }
  if (typeof value !== 'string') {
    err(ctx, path, 'schema/wrong-type', `expected an enum ${name} name, got ${describe(value)}`);
    return;
  }
  if (ctx.allowInterpolation && isInterpolation(value)) return;
  if (!Object.prototype.hasOwnProperty.call(e.values, value)) {
    const names = Object.keys(e.values);
    err(
      ctx,
      path,
      'schema/bad-enum',
      `"${value}" is not a value of ${name} (${names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')}, ...`})`,
    );
  }
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

function validateScalar(type: string, value: unknown, path: string, ctx: Ctx): void {
  const interp = typeof value === 'string' && ctx.allowInterpolation && isInterpolation(value);
  switch (type) {
    case 'string':
      if (typeof value !== 'string') err(ctx, path, 'schema/wrong-type', `expected a string, got ${describe(value)}`);
      return;
    case 'bool':
      if (interp)
        err(ctx, path, 'schema/interpolated-number', `expected a bool, got the Terraform expression ${String(value)}: the value cannot be checked offline`);
      else if (typeof value !== 'boolean') err(ctx, path, 'schema/wrong-type', `expected a bool (true/false), got ${describe(value)}`);
      return;
    case 'bytes':
      if (typeof value !== 'string') err(ctx, path, 'schema/wrong-type', `expected base64 bytes (string), got ${describe(value)}`);
      else if (!interp && !isBase64(value)) err(ctx, path, 'schema/bad-bytes', 'bytes must be base64 (standard or URL-safe alphabet)');
      return;
    case 'double':
    case 'float':
      if (interp)
        err(ctx, path, 'schema/interpolated-number', `expected a ${type}, got the Terraform expression ${String(value)}: the value cannot be checked offline`);
      else if (typeof value === 'number') {
        if (!Number.isFinite(value)) err(ctx, path, 'schema/wrong-type', `non-finite ${type}`);
      } else if (typeof value === 'string') {
        if (!['NaN', 'Infinity', '-Infinity'].includes(value) && !/^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value)) {
          err(ctx, path, 'schema/wrong-type', `expected a ${type}, got ${describe(value)}`);
        }
      } else err(ctx, path, 'schema/wrong-type', `expected a ${type}, got ${describe(value)}`);
      return;
    default: {
      const range = INT_RANGES[type];
      if (!range) {
        // Not a finding about the input: the walker meets a descriptor type it was never taught.
        throw new Error(`gcp/schema: descriptor type "${type}" at ${path} is not handled by the walker`);
      }
      if (interp) {
        err(ctx, path, 'schema/interpolated-number', `expected an ${type}, got the Terraform expression ${String(value)}: the value cannot be checked offline`);
        return;
      }
      let big: bigint;
      if (typeof value === 'number') {
        if (!Number.isInteger(value)) {
          err(ctx, path, 'schema/wrong-type', `expected an integer (${type}), got ${value}`);
          return;
        }
        if (!Number.isSafeInteger(value))
          warn(ctx, path, 'schema/unsafe-integer', `${value} exceeds 2^53; write ${type} values this large as a decimal string`);
        big = BigInt(value);
      } else if (typeof value === 'string' && /^-?\d+$/.test(value)) {
        big = BigInt(value);
      } else {
        err(ctx, path, 'schema/wrong-type', `expected an integer (${type}, number or decimal string), got ${describe(value)}`);
        return;
      }
      if (big < range[0] || big > range[1]) err(ctx, path, 'schema/out-of-range', `${String(value)} is out of range for ${type}`);
    }
  }
}

function isBase64(s: string): boolean {
  if (s.length % 4 === 1) return false;
  return /^[A-Za-z0-9+/]*={0,2}$/.test(s) || /^[A-Za-z0-9_-]*={0,2}$/.test(s);
}

/** `"<n>s"` with up to 9 decimals; returns seconds, or null when malformed. */
export function parseDurationSeconds(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(v);
  if (!m) return null;
  const secs = Number(m[2]) + (m[3] ? Number(`0.${m[3]}`) : 0);
  return m[1] ? -secs : secs;
}

const MAX_DURATION_SECONDS = 315_576_000_000;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

type WktValidator = (value: unknown, path: string, ctx: Ctx) => void;

function wrapper(scalar: string): WktValidator {
  return (value, path, ctx) => validateScalar(scalar, value, path, ctx);
}

const WKT_VALIDATORS: Record<string, WktValidator> = {
  'google.protobuf.Duration': (value, path, ctx) => {
    if (typeof value === 'string' && ctx.allowInterpolation && isInterpolation(value)) return;
    const secs = parseDurationSeconds(value);
    if (secs === null) {
      err(
        ctx,
        path,
        'schema/bad-duration',
        `expected a google.protobuf.Duration string "<seconds>s" with at most 9 decimals (e.g. "60s"), got ${describe(value)}`,
      );
    } else if (Math.abs(secs) > MAX_DURATION_SECONDS) {
      err(ctx, path, 'schema/bad-duration', 'duration out of range (±315,576,000,000 s)');
    }
  },
  'google.protobuf.Timestamp': (value, path, ctx) => {
    if (typeof value === 'string' && ctx.allowInterpolation && isInterpolation(value)) return;
    const m = typeof value === 'string' ? RFC3339.exec(value) : null;
    if (
      !m ||
      Number.isNaN(Date.parse(value as string)) ||
      Number(m[2]) > 12 ||
      Number(m[3]) > 31 ||
      Number(m[4]) > 23 ||
      Number(m[5]) > 59 ||
      Number(m[6]) > 60
    ) {
      err(ctx, path, 'schema/bad-timestamp', `expected an RFC 3339 timestamp (e.g. "2025-01-31T12:00:00Z"), got ${describe(value)}`);
    }
  },
  'google.protobuf.Struct': (value, path, ctx) => {
    if (!isPlainObject(value)) err(ctx, path, 'schema/wrong-type', `expected a google.protobuf.Struct (object), got ${describe(value)}`);
  },
  'google.protobuf.Value': (value, path, ctx) => {
    if (value === undefined) err(ctx, path, 'schema/wrong-type', 'expected a JSON value');
  },
  'google.protobuf.ListValue': (value, path, ctx) => {
    if (!Array.isArray(value)) err(ctx, path, 'schema/wrong-type', `expected a google.protobuf.ListValue (array), got ${describe(value)}`);
  },
  'google.protobuf.BoolValue': wrapper('bool'),
  'google.protobuf.StringValue': wrapper('string'),
  'google.protobuf.BytesValue': wrapper('bytes'),
  'google.protobuf.Int32Value': wrapper('int32'),
  'google.protobuf.UInt32Value': wrapper('uint32'),
  'google.protobuf.Int64Value': wrapper('int64'),
  'google.protobuf.UInt64Value': wrapper('uint64'),
  'google.protobuf.DoubleValue': wrapper('double'),
  'google.protobuf.FloatValue': wrapper('float'),
  'google.protobuf.FieldMask': (value, path, ctx) => {
    if (typeof value !== 'string') err(ctx, path, 'schema/wrong-type', `expected a google.protobuf.FieldMask string, got ${describe(value)}`);
  },
  'google.protobuf.Any': (value, path, ctx) => {
    if (!isPlainObject(value) || typeof value['@type'] !== 'string') err(ctx, path, 'schema/wrong-type', 'expected a google.protobuf.Any object with "@type"');
  },
};

/**
 * Rewrites proto-name keys to lowerCamelCase JSON names (descriptor-driven), leaving map keys and unknown keys as they
 * are. Used by the lint so rules read one spelling.
 */
export function normalizeToJsonNames(kind: ApiKind, obj: unknown): unknown {
  return normalize(messageTypeFor(kind), obj);
}

function normalize(type: Type, value: unknown): unknown {
  if (WKT_VALIDATORS[fullName(type)] || !isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  const index = fieldIndex(type);
  for (const [key, v] of Object.entries(value)) {
    const info = index.get(key);
    if (!info) {
      if (!(key in out)) out[key] = v;
      continue;
    }
    const t = resolvedType(info.field);
    const sub = isType(t) ? t : null;
    let nv: unknown = v;
    if (sub) {
      if (info.field.map && isPlainObject(v)) nv = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(sub, x)]));
      else if (info.field.repeated && Array.isArray(v)) nv = v.map((x) => normalize(sub, x));
      else nv = normalize(sub, v);
    }
    out[info.jsonName] = nv;
  }
  return out;
}
