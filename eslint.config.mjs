// ESLint flat config: typescript-eslint's recommended rules plus the project's import boundaries, one rule of its own
// (scripts/eslint-boundaries.mjs; issue 14, "Enforced, not hoped"). Syntax-only (no type information), so `eslint .`
// stays fast enough for `npm test`; __tests__/boundaries/boundaries.test.ts plants forbidden imports and checks each
// boundary fires.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import project from './scripts/eslint-boundaries.mjs';

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
    files: ['__tests__/**/*.ts', 'tools/cost/estimate.ts', 'tools/review/diff.ts', 'tools/review/replacements.ts', 'tools/backtest/**/*.ts'],
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
  {
    files: ['**/*.{ts,js,mjs,cjs}'],
    plugins: { project },
    rules: { 'project/boundaries': 'error' },
  },
);
