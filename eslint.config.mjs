// Lint rules for the whole repository. The import boundaries hold the layering docs/architecture.md describes:
// the model imports nothing outside itself; the CLI layer imports nothing of the project; config does not reach into
// components or tools; components do not reach into tools; tools do not import the policy pack's internals; the pack
// reaches the model only through its package. Import cycles are held off by test/architecture.test.ts.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** A relative import of the model's files from outside it (it must go through the package). */
const MODEL_BY_PATH = {
  regex: "^\\.{1,2}/(.*/)?(src/)?model(/.*)?$",
  message: "Import the model through its package, @entra-baseline/model: one copy, one boundary.",
};
/** A relative import that reaches into one of `folders` (siblings under src/). */
const into = (folders, message) => ({ regex: `^(\\.\\./)+(src/)?(${folders.join("|")})(/.*)?$`, message });
const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "bin/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      // The pack and the analyzer client read untyped protobuf messages and policy props: `any` is deliberate there.
      "@typescript-eslint/no-explicit-any": "off",
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    // The model is pure: no packages, no Node built-ins, nothing outside src/model.
    files: ["src/model/**/*.ts"],
    rules: restrict(
      { regex: "^[^.]", message: "The model imports no package and no Node built-in: it is pure." },
      { regex: "^\\.\\./\\.\\./", message: "The model imports nothing outside itself." },
    ),
  },
  {
    files: ["src/model/*.ts"],
    rules: restrict(
      { regex: "^\\.\\./", message: "The model imports nothing outside itself." },
      { regex: "^[^.]", message: "The model imports no package and no Node built-in: it is pure." },
    ),
  },
  {
    // The shared CLI layer: packages and Node only, nothing of the project.
    files: ["src/cli/**/*.ts"],
    rules: restrict({ regex: "^\\.\\./", message: "src/cli imports nothing of the project." }),
  },
  {
    files: ["src/config/**/*.ts"],
    rules: restrict(
      MODEL_BY_PATH,
      into(
        ["components", "tools", "graph", "policies"],
        "Config reads and validates the stack; it does not reach into components, tools or Graph.",
      ),
    ),
  },
  {
    files: ["src/graph/**/*.ts"],
    rules: restrict(
      MODEL_BY_PATH,
      into(
        ["components", "tools", "config", "policies"],
        "The Graph client knows nothing of components, tools or config.",
      ),
    ),
  },
  {
    files: ["src/components/**/*.ts"],
    rules: restrict(
      MODEL_BY_PATH,
      into(["tools", "cli", "policies"], "Components do not reach into tools, the CLI layer or the policy pack."),
    ),
  },
  {
    files: ["src/tools/**/*.ts", "src/*.ts", "bench/**/*.ts", "scripts/**/*.ts"],
    rules: restrict(
      MODEL_BY_PATH,
      into(["policies"], "Tools talk to the policy pack over its analyzer protocol, never through its internals."),
    ),
  },
  {
    files: ["policies/**/*.ts"],
    rules: restrict(MODEL_BY_PATH, {
      regex: "^(\\.\\./)+src(/.*)?$",
      message: "The pack is its own package: it reaches the model through @entra-baseline/model only.",
    }),
  },
  { files: ["test/**/*.ts"], rules: restrict(MODEL_BY_PATH) },
);
