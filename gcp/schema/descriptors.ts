/**
 * Loads Google's API descriptors from the JSON descriptor sets shipped in the client libraries and exposes the message
 * types. protobufjs is used ONLY to read/resolve the descriptors (Root.fromJSON + lookup); validation is done by our
 * own walker (validate.ts) because `fromObject`/`verify` silently drop unknown fields and bad enums.
 */
import { createRequire } from 'node:module';
import type { Root, Type, Field, Enum, ReflectionObject } from 'protobufjs';
import type { ApiKind } from './types';

type ProtobufModule = typeof import('protobufjs');

let pbModule: ProtobufModule | undefined;

/** protobufjs is a transitive dependency (via google-gax); resolve it the way the client libraries do. */
function protobuf(): ProtobufModule {
  if (pbModule) return pbModule;
  const attempts: Array<() => ProtobufModule> = [
    () => {
      const fromMonitoring = createRequire(require.resolve('@google-cloud/monitoring'));
      const gaxEntry = fromMonitoring.resolve('google-gax');
      return createRequire(gaxEntry)('protobufjs') as ProtobufModule;
    },
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily, only when a schema is read
    () => require('protobufjs') as ProtobufModule,
  ];
  let lastErr: unknown;
  for (const attempt of attempts) {
    try {
      pbModule = attempt();
      return pbModule;
    } catch (err) {
      lastErr = err;
    }
  }
  throw new Error(`gcp/schema: cannot load protobufjs: ${lastErr instanceof Error ? lastErr.message : String(lastErr)}`);
}

const DESCRIPTOR_FILES = {
  monitoring: '@google-cloud/monitoring/build/protos/protos.json',
  dashboards: '@google-cloud/monitoring-dashboards/build/protos/protos.json',
  logging: '@google-cloud/logging-api/build/protos/protos.json',
} as const;

type RootName = keyof typeof DESCRIPTOR_FILES;

const roots = new Map<RootName, Root>();

/**
 * The descriptors of one client library, resolved lazily: `Root.fromJSON` would resolve every field of every type at
 * once (for each, protobufjs generates the message class's constructor), a third of a synth's pre-write lint. Every
 * reader here resolves a field before it follows it (`resolvedType`), so only the fields a checked resource has are.
 */
function root(name: RootName): Root {
  let r = roots.get(name);
  if (!r) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const json = require(DESCRIPTOR_FILES[name]) as { nested?: Record<string, unknown>; options?: Record<string, unknown> };
    r = new (protobuf().Root)();
    if (json.options) r.setOptions(json.options);
    r.addJSON(json.nested as never);
    roots.set(name, r);
  }
  return r;
}

export const KIND_MESSAGES: Readonly<Record<ApiKind, { root: RootName; type: string }>> = {
  AlertPolicy: { root: 'monitoring', type: 'google.monitoring.v3.AlertPolicy' },
  UptimeCheckConfig: { root: 'monitoring', type: 'google.monitoring.v3.UptimeCheckConfig' },
  NotificationChannel: { root: 'monitoring', type: 'google.monitoring.v3.NotificationChannel' },
  MetricDescriptor: { root: 'monitoring', type: 'google.api.MetricDescriptor' },
  Dashboard: { root: 'dashboards', type: 'google.monitoring.dashboard.v1.Dashboard' },
  LogMetric: { root: 'logging', type: 'google.logging.v2.LogMetric' },
};

const messageTypes = new Map<ApiKind, Type>();

/** The message type of a resource kind, looked up once (a lint of a stack asks for it once per resource). */
export function messageTypeFor(kind: ApiKind): Type {
  let type = messageTypes.get(kind);
  if (!type) {
    const m = KIND_MESSAGES[kind];
    type = root(m.root).lookupType(m.type);
    messageTypes.set(kind, type);
  }
  return type;
}

/** protobufjs keeps lowerCamelCase names (the JSON names); this is the original proto (snake_case) name. */
export function protoName(jsonName: string): string {
  return jsonName.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export interface FieldInfo {
  field: Field;
  jsonName: string;
  protoName: string;
}

const fieldIndexCache = new WeakMap<Type, Map<string, FieldInfo>>();

/** Both the lowerCamelCase JSON name and the proto name of every field → FieldInfo. */
export function fieldIndex(type: Type): Map<string, FieldInfo> {
  let idx = fieldIndexCache.get(type);
  if (!idx) {
    idx = new Map();
    for (const field of type.fieldsArray) {
      const info: FieldInfo = { field, jsonName: field.name, protoName: protoName(field.name) };
      idx.set(info.jsonName, info);
      idx.set(info.protoName, info);
    }
    fieldIndexCache.set(type, idx);
  }
  return idx;
}

export function resolvedType(field: Field): Type | Enum | null {
  if (!field.resolved) field.resolve();
  return (field.resolvedType as Type | Enum | null) ?? null;
}

export function isType(o: ReflectionObject | null): o is Type {
  return !!o && Array.isArray((o as Type).fieldsArray);
}

export function isEnum(o: ReflectionObject | null): o is Enum {
  return !!o && typeof (o as Enum).values === 'object' && !Array.isArray((o as Type).fieldsArray);
}

/** Fully-qualified name without the leading dot. */
export function fullName(o: ReflectionObject): string {
  return o.fullName.replace(/^\./, '');
}

/** `(google.api.field_behavior)` values of a field (string or array in the JSON descriptors). */
export function fieldBehaviors(field: Field): string[] {
  const raw = (field.options ?? {})['(google.api.field_behavior)'] as unknown;
  if (raw === undefined) return [];
  return Array.isArray(raw) ? raw.map(String) : [String(raw)];
}

/** Real oneofs (proto3 `optional` produces synthetic single-member oneofs named `_field`). */
export function realOneofs(type: Type): Array<{ name: string; members: string[] }> {
  const out: Array<{ name: string; members: string[] }> = [];
  for (const o of type.oneofsArray ?? []) {
    if (o.name.startsWith('_') && o.oneof.length === 1) continue;
    out.push({ name: o.name, members: [...o.oneof] });
  }
  return out;
}

/** Well-known types handled as JSON scalars/special forms rather than as objects. */
export const WELL_KNOWN = new Set([
  'google.protobuf.Duration',
  'google.protobuf.Timestamp',
  'google.protobuf.Struct',
  'google.protobuf.Value',
  'google.protobuf.ListValue',
  'google.protobuf.BoolValue',
  'google.protobuf.StringValue',
  'google.protobuf.BytesValue',
  'google.protobuf.Int32Value',
  'google.protobuf.UInt32Value',
  'google.protobuf.Int64Value',
  'google.protobuf.UInt64Value',
  'google.protobuf.DoubleValue',
  'google.protobuf.FloatValue',
  'google.protobuf.FieldMask',
  'google.protobuf.Any',
]);
