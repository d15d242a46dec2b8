// Two import boundaries, as local ESLint rules because both need the resolved file an import
// lands on, not just its spelling:
//  - production code imports no tooling: nothing under the production folders loads the Graph
//    simulator, the dev stack, the benchmarks, the tests or a devDependency (the production build
//    and image leave them out). Type-only imports are erased and stay allowed; the CLI's
//    development commands load their tooling lazily with require() (cli/dev-tooling.ts).
//  - workflow code runs in Temporal's deterministic sandbox: workflows/ and the pure modules it
//    may use import only the modules on WORKFLOW_SANDBOX_ALLOW, and types of anything else.
import { builtinModules } from 'node:module';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

export const PRODUCTION_DIRS = [
  'activities',
  'cli',
  'client',
  'config',
  'db',
  'graph',
  'inventory',
  'logging',
  'temporal',
  'worker',
  'workflows',
];
export const TOOLING_DIRS = ['simulator', 'dev', 'bench', 'test'];

/**
 * The only production files that may load tooling at run time, lazily with require() and behind
 * cli/dev-tooling.ts: the CLI's development commands.
 */
export const LAZY_TOOLING_LOADERS = ['cli/commands/dev.ts', 'cli/commands/graph-sim.ts'];

/**
 * What workflow code may import as values: the workflow SDK, packages that are pure JavaScript
 * (no I/O, no clock, no randomness), and project modules that are pure and obey this same list.
 * Everything else is reachable only through `import type`.
 */
export const WORKFLOW_SANDBOX_ALLOW = [
  '@temporalio/workflow',
  // Failure classes the workflow package does not re-export (WorkflowExecutionAlreadyStartedError).
  '@temporalio/common',
  'zod',
  'inventory/bounded-echo.ts',
  'inventory/error-codes.ts',
  'inventory/policy-types.ts',
  'inventory/policy-types/apps.ts',
  'inventory/policy-types/assignment-filters.ts',
  'inventory/policy-types/compliance.ts',
  'inventory/policy-types/configuration.ts',
  'inventory/policy-types/definition.ts',
  'inventory/policy-types/endpoint-security.ts',
  'inventory/policy-types/enrollment.ts',
  'inventory/policy-types/identity.ts',
  'inventory/policy-types/scripts.ts',
  'inventory/policy-types/tenant-administration.ts',
  'inventory/policy-types/updates.ts',
  'inventory/policy-types/windows365.ts',
  'inventory/postgres-text.ts',
  'inventory/search-attributes.ts',
  'inventory/selection.ts',
  'inventory/tenant-id.ts',
  'inventory/workflow-ids.ts',
];

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const DEV_PACKAGES = new Set(Object.keys(packageJson.devDependencies ?? {}));
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** The project-relative file an import resolves to, or null for a package. */
function resolveLocal(fromFile, source) {
  if (!source.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), source);
  const candidates = [`${base}.ts`, join(base, 'index.ts'), base];
  const found = candidates.find((file) => existsSync(file) && statSync(file).isFile()) ?? `${base}.ts`;
  return relative(ROOT, found).split(sep).join('/');
}

function packageName(source) {
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function topDir(projectPath) {
  return projectPath.split('/')[0];
}

/** Calls `check(source, node)` for every value import or re-export of a module. */
function visitValueImports(check) {
  const isTypeOnly = (node) =>
    node.importKind === 'type' ||
    node.exportKind === 'type' ||
    (node.specifiers?.length > 0 &&
      node.specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type'));
  const visit = (node) => {
    if (node.source && typeof node.source.value === 'string' && !isTypeOnly(node)) {
      check(node.source.value, node.source);
    }
  };
  return {
    ImportDeclaration: visit,
    ExportNamedDeclaration: visit,
    ExportAllDeclaration: visit,
    TSImportEqualsDeclaration(node) {
      if (node.importKind !== 'type' && node.moduleReference.type === 'TSExternalModuleReference') {
        check(node.moduleReference.expression.value, node);
      }
    },
  };
}

const noToolingInProduction = {
  meta: {
    type: 'problem',
    docs: { description: 'production code imports no development, test or benchmark tooling' },
    schema: [],
    messages: {
      tooling:
        "'{{source}}' is tooling ({{where}}/), left out of the production build; import only its types, or load it lazily like cli/dev-tooling.ts",
      devPackage: "'{{source}}' is a development dependency, not installed in the production image",
    },
  },
  create(context) {
    const file = relative(ROOT, context.filename).split(sep).join('/');
    if (!PRODUCTION_DIRS.includes(topDir(file))) return {};
    const check = (source, node) => {
      const local = resolveLocal(context.filename, source);
      if (local !== null) {
        const where = topDir(local);
        if (TOOLING_DIRS.includes(where))
          context.report({ node, messageId: 'tooling', data: { source, where } });
      } else if (DEV_PACKAGES.has(packageName(source))) {
        context.report({ node, messageId: 'devPackage', data: { source } });
      }
    };
    // Loading at run time counts too, except in the development commands' lazy loaders.
    const checkRuntimeLoad = (node) => {
      const argument = node.type === 'ImportExpression' ? node.source : node.arguments[0];
      if (argument?.type === 'Literal' && typeof argument.value === 'string') check(argument.value, node);
    };
    if (LAZY_TOOLING_LOADERS.includes(file)) return visitValueImports(check);
    return {
      ...visitValueImports(check),
      ImportExpression: checkRuntimeLoad,
      'CallExpression[callee.name="require"]': checkRuntimeLoad,
    };
  },
};

const workflowSandboxImports = {
  meta: {
    type: 'problem',
    docs: { description: 'workflow code imports only what Temporal’s sandbox can run' },
    schema: [],
    messages: {
      builtin: "'{{source}}' is a Node built-in; they do not exist in the workflow sandbox",
      notAllowed:
        "'{{source}}' is not on the workflow sandbox allow-list (eslint/import-boundaries.mjs); import only its types, or do the work in an activity",
      dynamic: 'workflow code loads no modules at run time',
    },
  },
  create(context) {
    const file = relative(ROOT, context.filename).split(sep).join('/');
    const inSandbox = file.startsWith('workflows/') || WORKFLOW_SANDBOX_ALLOW.includes(file);
    if (!inSandbox) return {};
    const refuseDynamic = (node) => context.report({ node, messageId: 'dynamic' });
    return {
      ...visitValueImports((source, node) => {
        if (NODE_BUILTINS.has(source) || NODE_BUILTINS.has(source.split('/')[0])) {
          context.report({ node, messageId: 'builtin', data: { source } });
          return;
        }
        const local = resolveLocal(context.filename, source);
        const allowed =
          local === null
            ? WORKFLOW_SANDBOX_ALLOW.includes(packageName(source))
            : local.startsWith('workflows/') || WORKFLOW_SANDBOX_ALLOW.includes(local);
        if (!allowed) context.report({ node, messageId: 'notAllowed', data: { source } });
      }),
      ImportExpression: refuseDynamic,
      'CallExpression[callee.name="require"]': refuseDynamic,
    };
  },
};

export const importBoundaries = {
  rules: {
    'no-tooling-in-production': noToolingInProduction,
    'workflow-sandbox-imports': workflowSandboxImports,
  },
};
