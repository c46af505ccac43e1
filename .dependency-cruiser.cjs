// The import rules of the library (see CONTRIBUTING.md, "How the modules wire"),
// checked by test/architecture.test.ts with dependency-cruiser.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'No import cycle anywhere in the library, the stacks or the environments.',
      severity: 'error',
      from: { path: '^(lib|stacks|environments)/' },
      to: { circular: true },
    },
    {
      name: 'platform-imports-no-module',
      comment: 'lib/platform is the shared base: it imports no module (only itself and the generated imports).',
      severity: 'error',
      from: { path: '^lib/platform/' },
      to: { path: '^lib/', pathNot: '^lib/(platform|imports)/' },
    },
    {
      name: 'modules-import-only-platform',
      comment: 'A module imports only its own folder, lib/platform and lib/imports; what it needs from another module comes as a typed prop, wired in stacks/.',
      severity: 'error',
      from: { path: '^lib/(argocd|delivery|flux|jenkins-x|monitoring|security)/' },
      to: { path: '^lib/', pathNot: ['^lib/$1/', '^lib/(platform|imports)/'] },
    },
    {
      name: 'library-imports-no-composition',
      comment: 'The library does not import the composition (stacks/) or the shipped environments.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(stacks|environments)/' },
    },
    {
      name: 'stacks-import-no-environments',
      comment: 'The composition does not import the shipped environments (main.ts does).',
      severity: 'error',
      from: { path: '^stacks/' },
      to: { path: '^environments/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^lib/index\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
