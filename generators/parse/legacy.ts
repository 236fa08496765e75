/**
 * The model is built from AsyncAPI 3.x. Older documents (1.x, 2.x) are converted to 3.0 in memory with
 * @asyncapi/converter, with a warning: pointers then refer to the converted layout, not the file as written.
 */
export type VersionCheck =
  | { readonly kind: 'current'; readonly version: string }
  | { readonly kind: 'legacy'; readonly version: string }
  | { readonly kind: 'unsupported'; readonly message: string; readonly hint: string };

export function checkVersion(value: unknown): VersionCheck {
  if (typeof value !== 'string') {
    return {
      kind: 'unsupported',
      message: `"asyncapi" must be a version string such as "3.0.0" (found ${JSON.stringify(value)})`,
      hint: 'quote the version: asyncapi: "3.0.0"',
    };
  }
  const major = /^(\d+)\./.exec(value)?.[1];
  if (major === '3') return { kind: 'current', version: value };
  if (major === '1' || major === '2') return { kind: 'legacy', version: value };
  return {
    kind: 'unsupported',
    message: `AsyncAPI ${value} is not supported: eventwire reads AsyncAPI 3.x documents`,
    hint: 'write the document as AsyncAPI 3.0.0',
  };
}

/** The command that converts a file for good (shown in hints). */
export function convertCommand(file: string): string {
  return `npx @asyncapi/cli convert ${file} --target-version=3.0.0 --output=${file}`;
}

export function legacyRefusal(version: string, file: string): { message: string; hint: string } {
  return {
    message: `AsyncAPI ${version} is not supported: convert with \`${convertCommand(file)}\``,
    hint: 'eventwire reads AsyncAPI 3.x documents',
  };
}

/** A required part of a 1.x/2.x document that is missing or of the wrong type. */
export interface LegacyShapeProblem {
  readonly pointer: string;
  readonly message: string;
  readonly hint: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What the converter needs before it can run: without these it fails with its own internal text (`Cannot use
 * 'in' operator to search for 'title' in undefined`). Reported as the AsyncAPI JSON Schema would report them,
 * so a 2.x document missing `info` gets the same error a 3.x one does.
 */
export function legacyShapeProblems(
  document: Record<string, unknown>,
  version: string,
): LegacyShapeProblem[] {
  const problems: LegacyShapeProblem[] = [];
  const { info } = document;
  if (!isObject(info)) {
    problems.push({
      pointer: info === undefined ? '' : '/info',
      message: info === undefined ? 'missing required property "info"' : '"info" must be an object',
      hint: "add `info:` with the API's `title` and `version`",
    });
  } else {
    for (const field of ['title', 'version'] as const) {
      if (typeof info[field] === 'string') continue;
      problems.push({
        pointer: info[field] === undefined ? '/info' : `/info/${field}`,
        message:
          info[field] === undefined
            ? `missing required property "${field}"`
            : `"info.${field}" must be a string`,
        hint:
          field === 'title'
            ? 'name the API under `info.title`'
            : 'give the API\'s version, e.g. `version: "1.0.0"`',
      });
    }
  }
  if (version.startsWith('2.') && !isObject(document.channels)) {
    problems.push({
      pointer: document.channels === undefined ? '' : '/channels',
      message:
        document.channels === undefined
          ? 'missing required property "channels"'
          : '"channels" must be an object',
      hint: 'AsyncAPI 2.x documents list their channels under `channels:` (it may be empty: `channels: {}`)',
    });
  }
  return problems;
}

type Convert = (input: object, version: '3.0.0', options: object) => unknown;
let converter: Promise<Convert | undefined> | undefined;

async function loadConverter(): Promise<Convert | undefined> {
  try {
    const module = (await import('@asyncapi/converter')) as unknown as {
      convert?: Convert;
      default?: { convert?: Convert };
    };
    return module.convert ?? module.default?.convert;
  } catch {
    return undefined;
  }
}

/**
 * The converter prints what it dropped (`Found properties in parameter schema that are no longer supported...`)
 * to the console; those notes belong in the warnings. The call is synchronous, so nothing else prints meanwhile.
 */
function capturingConsole<T>(run: () => T): { result: T; notes: string[] } {
  const methods = ['log', 'info', 'warn', 'error'] as const;
  const saved = methods.map((method) => console[method]);
  const lines: string[] = [];
  for (const method of methods)
    console[method] = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  try {
    return {
      result: run(),
      notes: [
        ...new Set(
          lines
            .join('\n')
            .split(/\n(?!- )/)
            .map((note) => note.replace(/\n/g, ' ').trim()),
        ),
      ].filter(Boolean),
    };
  } finally {
    methods.forEach((method, index) => {
      console[method] = saved[index] as (typeof console)[typeof method];
    });
  }
}

export type Conversion =
  | { readonly ok: true; readonly document: Record<string, unknown>; readonly notes: readonly string[] }
  | {
      readonly ok: false;
      readonly code: 'unsupported-version' | 'conversion-failed';
      readonly message: string;
      readonly hint: string;
    };

export async function convertToV3(
  document: Record<string, unknown>,
  version: string,
  file: string,
): Promise<Conversion> {
  converter ??= loadConverter();
  const convert = await converter;
  if (!convert) return { ok: false, code: 'unsupported-version', ...legacyRefusal(version, file) };
  try {
    const { result: converted, notes } = capturingConsole(() =>
      convert(structuredClone(document), '3.0.0', { v2tov3: { pointOfView: 'application' } }),
    );
    if (typeof converted !== 'object' || converted === null)
      throw new Error('the converter returned no document');
    return { ok: true, document: converted as Record<string, unknown>, notes };
  } catch (error) {
    return {
      ok: false,
      code: 'conversion-failed',
      message: `AsyncAPI ${version} document could not be converted to 3.0.0: ${(error as Error).message}`,
      hint: `fix the document, or convert it by hand (${convertCommand(file)})`,
    };
  }
}
