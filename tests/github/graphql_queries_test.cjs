// Validates ampere's GraphQL queries (src/github/graphql_queries.hpp) against GitHub's published schema
// (npm @octokit/graphql-schema) with the reference implementation (npm graphql).
// Usage: node graphql_queries_test.cjs <source dir>. Exits 77 (skipped) when the packages are not installed;
// AMPERE_NODE_MODULES overrides <source dir>/node_modules.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

const sourceDir = path.resolve(process.argv[2] || path.join(__dirname, '..', '..'));
const modules = process.env.AMPERE_NODE_MODULES || path.join(sourceDir, 'node_modules');
const schemaFile = path.join(modules, '@octokit', 'graphql-schema', 'schema.json');
let graphql;
try {
  graphql = createRequire(path.join(modules, 'noop.js'))('graphql');
} catch (e) {
  graphql = null;
}
if (!graphql || !fs.existsSync(schemaFile)) {
  console.log(`skipped: graphql and @octokit/graphql-schema are not installed in ${modules} (npm ci --ignore-scripts)`);
  process.exit(77);
}

const header = fs.readFileSync(path.join(sourceDir, 'src', 'github', 'graphql_queries.hpp'), 'utf8');
const queries = [...header.matchAll(/inline constexpr std::string_view (\w+) =\s*R"\(([\s\S]*?)\)";/g)];
if (queries.length !== 4) {
  console.error(`expected 4 queries in graphql_queries.hpp, found ${queries.length}`);
  process.exit(1);
}
// The introspection result, not schema.graphql: the published SDL repeats a few fields, which buildSchema rejects.
const introspection = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
const schema = graphql.buildClientSchema(introspection.data || introspection);
let failed = 0;
for (const [, name, text] of queries) {
  let errors;
  try {
    errors = graphql.validate(schema, graphql.parse(text));
  } catch (e) {
    errors = [e];
  }
  if (errors.length > 0) {
    failed += 1;
    console.error(`${name}: ${errors.map((e) => e.message).join('; ')}`);
  } else {
    console.log(`${name}: valid`);
  }
}
process.exit(failed === 0 ? 0 : 1);
