import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfigFile, loadConfig } from './config.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'eventwire-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dir(name: string, files: Record<string, string>): string {
  const d = path.join(root, name);
  mkdirSync(path.join(d, 'sub', 'deeper'), { recursive: true });
  mkdirSync(path.join(d, '.git'), { recursive: true });
  for (const [f, t] of Object.entries(files)) writeFileSync(path.join(d, f), t);
  return d;
}

describe('config discovery', () => {
  it('walks up from the working directory to the project root', () => {
    const d = dir('json', { 'eventwire.config.json': '{"check": {"rules": {"lint/naming": "warning"}}}' });
    const r = loadConfig(path.join(d, 'sub', 'deeper'));
    expect(r.ok && r.config.rules.get('lint/naming')).toEqual({ severity: 'warning', options: {} });
    expect(r.ok && r.config.root).toBe(d);
  });
  it('reads .eventwire.yaml', () => {
    const d = dir('yaml', {
      '.eventwire.yaml':
        'check:\n  ignore:\n    - rule: lint/naming\n      address: legacy.*\n      reason: renamed in Q3\n',
    });
    const r = loadConfig(d);
    expect(r.ok && r.config.ignore).toEqual([
      { rule: 'lint/naming', address: 'legacy.*', reason: 'renamed in Q3', index: 0 },
    ]);
  });
  it('refuses two config files, and stops at the repository root', () => {
    const both = dir('both', { 'eventwire.config.json': '{}', '.eventwire.yaml': 'check: {}' });
    expect(findConfigFile(both).error).toContain('keep one config file');
    const none = dir('none', {});
    expect(loadConfig(none)).toMatchObject({ ok: true, config: { ignore: [] } });
  });
  it('reports unparsable and invalid files, and a missing explicit file', () => {
    expect(loadConfig(dir('broken', { 'eventwire.config.json': '{nope' }))).toMatchObject({ ok: false });
    const invalid = loadConfig(
      dir('invalid', { 'eventwire.config.json': '{"check": {"ignore": [{"rule": "x", "why": "typo"}]}}' }),
    );
    expect(invalid.ok).toBe(false);
    expect(loadConfig(root, 'missing.json')).toMatchObject({ ok: false });
  });
});
