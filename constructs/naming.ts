/**
 * Naming strategy: stable, readable Terraform resource names (so `cdktf diff`, the HCL export and the review
 * read like hand-written Terraform) and consistent user labels on everything that carries them.
 */
import { TerraformElement } from 'cdktf';
import type { EnvironmentConfig } from '../environments/schema';

export interface NamingStrategy {
  /** Terraform resource name, e.g. `alert_high_error_rate`. */
  resourceName(kind: string, id: string): string;
  /** Labels on policies, checks and channels (charset: lowercase letters, digits, `_`, `-`; gcp-facts §1.3). */
  labels(extra?: Record<string, string>): Record<string, string>;
}

export function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

export function defaultNaming(env: EnvironmentConfig): NamingStrategy {
  return {
    resourceName: (kind, id) => `${snakeCase(kind)}_${snakeCase(id)}`,
    labels: (extra = {}) => ({ environment: env.name, managed_by: 'cdktf', app: 'vividly-api', ...extra }),
  };
}

/** Gives a construct's Terraform element the strategy's name instead of CDKTF's hashed one. */
export function named<T extends TerraformElement>(element: T, name: string): T {
  element.overrideLogicalId(name);
  return element;
}
