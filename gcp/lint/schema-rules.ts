/**
 * The findings of the strict schema walker (gcp/schema) and the Terraform-to-API conversion, listed as rules so the
 * README's rule table and the per-rule tests cover them too. Their checks live in the walker, which reads Google's
 * own descriptors (@google-cloud/monitoring, -monitoring-dashboards, logging-api).
 */
import type { Severity } from '../schema/types';

export interface SchemaRule {
  id: string;
  severity: Severity;
  source: string;
  summary: string;
}

const PROTO = "Google's API descriptors (proto3 JSON mapping)";
const TF = 'provider 6.50.0 resource schema (Terraform JSON to API conversion)';
const rule = (id: string, summary: string, source = PROTO, severity: Severity = 'error'): SchemaRule => ({ id, severity, source, summary });

export const SCHEMA_RULES: readonly SchemaRule[] = [
  rule('schema/unknown-field', 'a field the message does not have (protobufjs would drop it silently)'),
  rule('schema/duplicate-field', 'the same field under its proto and JSON names'),
  rule('schema/wrong-type', 'a value of the wrong JSON type for its field'),
  rule('schema/bad-enum', 'an enum value the enum does not have'),
  rule('schema/enum-number', 'an enum given as a number'),
  rule('schema/oneof-conflict', 'two members of one oneof'),
  rule('schema/required', 'a field the API requires'),
  rule('schema/output-only', 'an output-only field sent on create', PROTO, 'warning'),
  rule('schema/bad-duration', 'a Duration that is not "<seconds>s"'),
  rule('schema/bad-timestamp', 'a Timestamp that is not RFC 3339'),
  rule('schema/bad-bytes', 'bytes that are not base64'),
  rule('schema/out-of-range', 'a number outside its field type'),
  rule('schema/unsafe-integer', 'a 64-bit integer given as a JSON number beyond 2^53', PROTO, 'warning'),
  rule('schema/null', 'null (the API treats it as unset): omit the field', PROTO, 'warning'),
  rule('schema/interpolated-number', 'a Terraform interpolation in a number or bool field (cannot be checked offline)'),
  rule('schema/interpolated-message', 'a Terraform interpolation where a message is expected'),
  rule('tf/not-an-object', 'a resource body that is not an object', TF),
  rule('tf/unsupported-resource-type', 'a resource type the conversion does not know', TF),
  rule('tf/unknown-attribute', 'an attribute the API message does not have', TF),
  rule('tf/duplicate-attribute', 'the same attribute twice after name conversion', TF),
  rule('tf/too-many-blocks', 'several blocks where the API has one message', TF),
  rule('tf/interpolated-block', 'a whole block given as an interpolation', TF),
  rule('tf/dashboard-json', 'dashboard_json is not valid JSON of a Dashboard', TF),
  rule('tf/dashboard-json-not-literal', 'dashboard_json is a Terraform expression (cannot be checked offline)', TF),
  rule('tf/sensitive-labels', 'sensitive_labels is not a block of strings', TF),
  rule('synth/not-an-object', 'a cdk.tf.json that is not a JSON object', TF),
  rule('synth/bad-resource-block', '"resource" is not type → name → body', TF),
  rule('tf/sensitive-label-conflict', 'a label set in both labels and sensitive_labels (gcp-facts §6.2)', TF),
];
