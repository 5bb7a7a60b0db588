import { dev } from './dev';
import { prod } from './prod';
import { ENVIRONMENT_NAMES, EnvironmentConfig, EnvironmentError, EnvironmentName, unknownEnvironmentsMessage, validateEnvironment } from './schema';
import { staging } from './staging';

export * from './schema';

const sources: Record<EnvironmentName, { file: string; raw: unknown }> = {
  dev: { file: 'environments/dev.ts', raw: dev },
  staging: { file: 'environments/staging.ts', raw: staging },
  prod: { file: 'environments/prod.ts', raw: prod },
};

/** Validates the selected environments (all by default). Throws EnvironmentError on the first bad one. */
export function loadEnvironments(
  selected: readonly string[] = ENVIRONMENT_NAMES,
  overrides: Partial<Record<EnvironmentName, unknown>> = {},
): EnvironmentConfig[] {
  const unknown = unknownEnvironmentsMessage(selected);
  if (unknown) throw new EnvironmentError(unknown);
  // Validate every selected environment before anything is synthesized: one bad file writes nothing at all.
  return selected.map((name) => {
    const source = sources[name as EnvironmentName];
    const raw = overrides[name as EnvironmentName] ?? source.raw;
    const config = validateEnvironment(source.file, raw);
    if (config.name !== name) throw new EnvironmentError(`${source.file}: environment "${name}": field "name": must be "${name}" (got "${config.name}")`);
    return config;
  });
}
