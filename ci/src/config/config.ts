/**
 * The `check` section of the project configuration: per-rule severities/options and ignore entries.
 *
 * The file is `eventwire.config.json` (or `.eventwire.yaml` / `.eventwire.yml`) in the project root, found by
 * walking up from the working directory to the first directory holding a config file, `.git` or stopping at
 * the filesystem root. Two config files in one directory are ambiguous and refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { isKnownCheckRule } from '../rules.ts';
import type { SeveritySetting } from '../types.ts';

export interface RuleSetting {
  readonly severity?: SeveritySetting;
  readonly options: Readonly<Record<string, unknown>>;
}

export interface IgnoreEntry {
  readonly rule: string;
  readonly file?: string;
  readonly pointer?: string;
  readonly address?: string;
  readonly reason?: string;
  /** Position in the `ignore` array, for locating the entry in the config file. */
  readonly index: number;
}

export interface CheckConfig {
  readonly rules: ReadonlyMap<string, RuleSetting>;
  readonly ignore: readonly IgnoreEntry[];
  /** The config file (absolute) and the directory ignore `file` globs are relative to. */
  readonly file?: string;
  readonly root: string;
}

export const CONFIG_FILE_NAMES = ['eventwire.config.json', '.eventwire.yaml', '.eventwire.yml'] as const;

export type ConfigResult =
  | { readonly ok: true; readonly config: CheckConfig }
  | { readonly ok: false; readonly error: string };

export function emptyConfig(root: string): CheckConfig {
  return { rules: new Map(), ignore: [], root };
}

/** Finds the config file for `cwd`; `explicit` (a path) overrides the search and must exist. */
export function findConfigFile(cwd: string, explicit?: string): { file?: string; error?: string } {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit);
    return existsSync(file) ? { file } : { error: `config file ${explicit} does not exist` };
  }
  let dir = path.resolve(cwd);
  for (;;) {
    const found = CONFIG_FILE_NAMES.map((n) => path.join(dir, n)).filter((f) => existsSync(f));
    if (found.length > 1) {
      return {
        error: `${found.map((f) => path.relative(cwd, f) || f).join(' and ')} both exist: keep one config file`,
      };
    }
    if (found.length === 1) return { file: found[0] as string };
    const parent = path.dirname(dir);
    if (existsSync(path.join(dir, '.git')) || parent === dir) return {};
    dir = parent;
  }
}

let validateConfig: ReturnType<Ajv['compile']> | undefined;
function validator() {
  if (!validateConfig) {
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8'),
    );
    // `optimize: false` compiles about three times faster; the code only keeps a few unused locals.
    validateConfig = new Ajv({ allErrors: true, strict: false, code: { optimize: false } }).compile(schema);
  }
  return validateConfig;
}

export function loadConfig(cwd: string, explicit?: string): ConfigResult {
  const { file, error } = findConfigFile(cwd, explicit);
  if (error) return { ok: false, error };
  if (!file) return { ok: true, config: emptyConfig(path.resolve(cwd)) };
  const shown = path.relative(cwd, file) || file;
  let data: unknown;
  try {
    const text = readFileSync(file, 'utf8');
    data = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    return { ok: false, error: `${shown}: cannot be parsed: ${e instanceof Error ? e.message : String(e)}` };
  }
  return parseConfig(data ?? {}, file, shown);
}

export function parseConfig(data: unknown, file: string, shown: string): ConfigResult {
  const validate = validator();
  if (!validate(data)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
    return { ok: false, error: `${shown}: invalid configuration: ${[...new Set(problems)].join('; ')}` };
  }
  const check = ((data as Record<string, unknown>).check ?? {}) as {
    rules?: Record<string, string | { severity?: SeveritySetting; options?: Record<string, unknown> }>;
    ignore?: Omit<IgnoreEntry, 'index'>[];
  };
  const rules = new Map<string, RuleSetting>();
  for (const [id, value] of Object.entries(check.rules ?? {})) {
    if (!isKnownCheckRule(id)) {
      return {
        ok: false,
        error: `${shown}: /check/rules: unknown rule \`${id}\` (see ci/README.md for the rule list)`,
      };
    }
    rules.set(
      id,
      typeof value === 'string'
        ? { severity: value as SeveritySetting, options: {} }
        : { ...(value.severity ? { severity: value.severity } : {}), options: value.options ?? {} },
    );
  }
  const ignore = (check.ignore ?? []).map((entry, index) => ({ ...entry, index }));
  return { ok: true, config: { rules, ignore, file, root: path.dirname(file) } };
}
