#!/usr/bin/env node
// The `eventwire` executable. The published package runs its bundled build (dist/bundle/, package/bundle.ts); a
// checkout of the repository runs the TypeScript sources (Node 24 strips their types), so `npx eventwire` there
// never runs a stale build.
import { existsSync, readFileSync } from 'node:fs';

// An older Node fails inside the build with a SyntaxError and a stack trace: say what is needed instead.
const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const needed = /(\d+)\.(\d+)/.exec(engines.node).slice(1).map(Number);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < needed[0] || (major === needed[0] && minor < needed[1])) {
  process.stderr.write(
    `eventwire: Node ${engines.node} is needed, this is Node ${process.versions.node} (${process.execPath}).\n` +
      '  fix: run it with Node 22 LTS or 24 LTS (e.g. `nvm use 24`, or `npm i -D node@24` and `npx node`).\n',
  );
  process.exit(2);
}

const source = new URL('../cli/bin.ts', import.meta.url);
await import(existsSync(source) ? source.href : new URL('../dist/bundle/eventwire.js', import.meta.url).href);
