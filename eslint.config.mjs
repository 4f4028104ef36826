// eslint (flat config) with typescript-eslint's recommended rules over src/, scripts/ and test/; `npm run lint`, run by CI.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['lib/**', 'imports/**', 'dist/**', 'node_modules/**', 'test/readme-examples/**', 'coverage/**', '.cdk8s.out/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // The code reads untyped YAML and JSON in places (simulators, schema validators): `any` is named there on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Relative modules may be required lazily where that keeps a command's start-up short (one Cilium
      // chart's L1 of three, a subcommand, the schema validators), and so may two packages a plain synth
      // never needs (`diff` for `synth --diff`, cdk8s-plus-30's `k8s` L1s); the architecture test reads require() too.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['^\\.', '^diff$', '^cdk8s-plus-30/lib/imports/k8s$'] }],
    },
  },
  {
    // A function of the library reads on one screen: longer ones are split into named steps.
    files: ['src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['scripts/**/*.js', 'bin/**/*.js', '*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
