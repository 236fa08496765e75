#!/usr/bin/env node
// The `eventwire` executable. The published package runs its bundled build (dist/bundle/, package/bundle.ts); a
// checkout of the repository runs the TypeScript sources (Node 24 strips their types), so `npx eventwire` there
// never runs a stale build.
import { existsSync } from 'node:fs';

const source = new URL('../cli/bin.ts', import.meta.url);
await import(existsSync(source) ? source.href : new URL('../dist/bundle/eventwire.js', import.meta.url).href);
