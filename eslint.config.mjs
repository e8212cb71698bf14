// npm run lint: ESLint's and typescript-eslint's recommended rules on every TypeScript file of
// the course (engine/, lib/, tools/, scripts/, test/). Syntax-only (no type information), so it
// runs in seconds; `npm run typecheck` does the type checking. Every eslint-disable comment in the
// code says why after "--" (test/tools/code-checks.test.ts checks it).
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/", "node_modules/", ".cache/", "scripts/course.js"] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // A leading underscore marks a parameter the signature needs but the body does not use
      // (exercise stubs and references with the exercise's fixed signature, kernel callbacks).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
    },
  },
);
