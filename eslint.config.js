// ESLint (`npm run lint`, part of `npm test`): a modest rule set that catches real mistakes —
// typescript-eslint's recommended rules and React's rules of hooks — without restyling the code;
// layout is Prettier's job (`npm run format`).
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Build output, and AssemblyScript sources (compiled by asc, not by tsc: they use its own types).
  { ignores: ['out/**', 'build/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '**/*.as.ts'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // `_`-prefixed names are deliberately unused (tsc's noUnusedLocals/noUnusedParameters agree).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Playwright's fixtures are taken by destructuring: `async ({}, testInfo) => ...`.
      'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }],
    },
  },
  // Plain JavaScript runs in Node (the scripts); TypeScript files get their globals from tsc.
  { files: ['**/*.{js,mjs,cjs}'], languageOptions: { globals: globals.node } },
);
