import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'renderer/dist/**',
      'electron/dist/**',
      'release/**',
      'coverage/**',
      'models/**',
      'tests/e2e/results/**',
      'tests/e2e/report/**',
      '.venv/**',
      '.venv-deploy/**',
      'bench/.venv-peers/**',
      // AssemblyScript (compiled by scripts/build-wasm.mjs), not TypeScript for Node.
      'core/ingest/wasm/**',
      'core/analysis/drift/wasm/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        structuredClone: 'readonly',
        fetch: 'readonly',
        globalThis: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration once, at start-up, in the shell's config module (STYLE.md).",
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: [
      '**/config.ts',
      '**/*-config.ts',
      'bench/**',
      'tests/**',
      'bin/**',
      'scripts/**',
      '*.config.ts',
      '*.config.js',
      'electron/**',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
