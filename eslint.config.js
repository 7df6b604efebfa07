// Lint rules for everything we write: src, tests, scripts, bench (when present) and the root config files.
// Syntax-only typescript-eslint everywhere, plus type-aware rules for src/ (see kingdom/src-type-aware);
// `tsc --noEmit` does the type-checking.
// Import boundaries are not linted here: dependency-cruiser checks them (.dependency-cruiser.cjs).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The few Node globals our plain-JS config files use (the `globals` package is not a dependency). */
const nodeGlobals = {
  process: 'readonly',
  console: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
};

export default defineConfig(
  globalIgnores(['node_modules/', 'dist/', 'coverage/', '.data/', 'src/generated/', 'tests/generated/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'kingdom/all',
    files: ['**/*.{ts,mts,cts,js,mjs,cjs}'],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // Type-aware rules where the product code lives: a promise nobody awaits, a promise handed to a callback that
    // ignores it, a switch that forgot a member of a union. Scoped to src/ so `eslint .` stays fast (the type
    // program is built for src/ only); tests and scripts keep the syntax-only rules.
    name: 'kingdom/src-type-aware',
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // `async` without `await` is how this code implements a Promise-returning port or hook synchronously (and it
      // turns a throw into a rejection, which callers of a port rely on): not a mistake worth flagging.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    name: 'kingdom/esm-javascript',
    files: ['**/*.{js,mjs}'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  {
    name: 'kingdom/commonjs',
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...nodeGlobals, module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
