/**
 * Argument parsing on node:util's parseArgs, turning its exceptions into UsageErrors with the command named,
 * so a typo never prints a stack trace.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './io.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(command: string, argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`eventwire ${command}: ${reason}. Run "eventwire ${command} --help" for usage.`);
  }
}

export function oneOf<T extends string>(
  command: string,
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(
    `eventwire ${command}: --${flag} must be one of ${allowed.join(', ')} (got "${value}").`,
  );
}
