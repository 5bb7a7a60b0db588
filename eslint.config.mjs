// ESLint flat config: typescript-eslint's recommended rules plus the project's boundaries as import rules
// (issue 14, "Enforced, not hoped"). Syntax-only (no type information), so `eslint .` stays fast enough for `npm test`;
// __tests__/lint-boundaries/boundaries.test.ts plants forbidden imports and checks each boundary below fires.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// ---- Boundaries ---------------------------------------------------------------------------------------------------
// One `no-restricted-imports` per file: ESLint replaces (does not merge) a rule's options when several blocks match a
// file, so each block below lists every restriction of its folder. Relative imports are matched by regular expression
// on the import string (`^(\.\./)+tools/` from catalog/x.ts or constructs/dashboards/x.ts): the folders are siblings
// at the root, so climbing out and naming one of them is what crossing the boundary looks like.

/** Deep imports only: the provider's root and lib index load every resource class (seconds, hundreds of MB). */
const PROVIDER_ROOTS = {
  paths: ['@cdktf/provider-google', '@cdktf/provider-google/lib', '@cdktf/provider-time', '@cdktf/provider-time/lib'].map((name) => ({
    name,
    message: 'Boundary: deep provider imports only (`@cdktf/provider-google/lib/<resource>`), never the package root.',
  })),
};

const NO_CDKTF = {
  regex: '^(cdktf|constructs|@cdktf/[^/]+)(/|$)',
  message:
    'Boundary: cdktf, constructs and the providers are imported only in constructs/, stacks/ and main.ts (the pure dashboard builders in constructs/dashboards/ neither).',
};

const NO_TOOLS = {
  regex: '^(\\./|(\\.\\./)+)tools(/|$)',
  message:
    'Boundary: constructs/, catalog/, stacks/, environments/ and main.ts import nothing from tools/ (the CLIs); synth-path code lives on the synth side.',
};

const NO_PROJECT = {
  regex: '^(\\./|(\\.\\./)+)(catalog|environments|constructs|stacks|tools|main)(/|$)',
  message: 'Boundary: the gcp/ library imports nothing of the project (catalog/, environments/, constructs/, stacks/, tools/, main): it must stand alone.',
};

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { ...PROVIDER_ROOTS, patterns }] });

const boundaries = [
  // Everything else (tools/, __tests__/, scripts/): no cdktf, no provider.
  { files: ['**/*.{ts,js,mjs,cjs}'], rules: restrict(NO_CDKTF) },
  { files: ['main.ts', 'constructs/**/*.ts', 'stacks/**/*.ts'], rules: restrict(NO_TOOLS) },
  { files: ['constructs/dashboards/**/*.ts', 'catalog/**/*.ts', 'environments/**/*.ts'], rules: restrict(NO_TOOLS, NO_CDKTF) },
  { files: ['gcp/**/*.ts'], rules: restrict(NO_PROJECT, NO_CDKTF) },
];

export default tseslint.config(
  // What git ignores (a test holds them equal), with the folders the tools make and remove while eslint walks the tree
  // beside them in `npm test`: an unignored one that vanishes mid-walk crashed eslint with ENOENT (dist.lock/).
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist.lock/',
      'dist.lock.takeover/',
      'cdktf.out/',
      'cdktf.out.*/',
      '.backtest-cache/',
      '.gen/',
      '.terraform/',
      'coverage/',
      'out/',
      'preview/',
      'terraform-export/',
      '**/*.partial-*/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are deliberately unused (tsc's noUnused* checks the rest).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The project parses ANSI-coloured app logs and escapes HCL strings: control characters in patterns are the point.
      'no-control-regex': 'off',
    },
  },
  {
    // Lazy loading on purpose: each CLI subcommand loads only its own module.
    files: ['tools/cli.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Readers of synthesized Terraform JSON, whose shape the schema validator (not the type system) checks.
    files: [
      '__tests__/**/*.ts',
      'tools/cost/estimate.ts',
      'tools/review/diff.ts',
      'tools/review/replacements.ts',
      'tools/review/synth-dir.ts',
      'tools/backtest/**/*.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly', globalThis: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Node scripts written as ES modules (scripts/*.mjs).
    files: ['**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  ...boundaries,
);
