/** Types of synth-secrets.js (plain JavaScript: jest's global setup requires it untransformed). */
export declare const SYNTH_SECRETS: { pagerduty: string; slack: string };
export declare function secretEnv(): Record<string, string>;
