/**
 * Structured logs of the delivery pipeline: one JSON line per retry, per dead letter and per error reported
 * after a handler, with the event's id, type, subscription, attempt, outcome, error and trace id, so a handler
 * that keeps failing is visible without a debugger. The logger is injectable (`runtime.logger`): any object
 * with pino's `(fields, message)` methods; `createLogger()` is pino writing JSON lines to stdout.
 *
 * Texts are masked before they get here: the pipeline replaces the contract's personal-data values (`x-eventwire-pii`)
 * in error messages by `***` (see pii.ts), and no payload is ever logged.
 */
import { pino } from 'pino';

type LogFn = (fields: Record<string, unknown>, message: string) => void;

/** What the runtime logs through; a pino logger is one. */
export interface EventLogger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
  /**
   * Whether lines of this level are written (pino has it). When it says no to `debug`, the pipeline does not build
   * the debug line it writes for every handled event; a logger without it gets every line, as before.
   */
  readonly isLevelEnabled?: (level: string) => boolean;
}

export interface LoggerOptions {
  /** Lowest level written (default env LOG_LEVEL, then `info`). */
  readonly level?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Added to every line, e.g. `{ service: 'order' }`. */
  readonly base?: Record<string, unknown>;
  /** Where lines go (default stdout); anything with `write(line)`. */
  readonly destination?: { write(line: string): unknown };
}

/** pino with eventwire's defaults: JSON lines, ISO time, the level as a word. */
export function createLogger(options: LoggerOptions = {}): EventLogger {
  const level = options.level ?? (process.env.LOG_LEVEL as LoggerOptions['level']) ?? 'info';
  const settings = {
    level,
    base: options.base ?? null,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** Drops every line: for tests and tools that report outcomes themselves. */
export const silentLogger: EventLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

/** The W3C trace id of a traceparent (`00-<trace id>-<span id>-<flags>`). */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  const id = traceparent?.split('-')[1];
  return id && /^[0-9a-f]{32}$/.test(id) ? id : undefined;
}

/** The transports' `(message, details)` logger interface over an EventLogger. */
export function transportLogger(logger: EventLogger) {
  return {
    warn: (message: string, details?: Record<string, unknown>) => logger.warn({ ...details }, message),
    error: (message: string, details?: Record<string, unknown>) => logger.error({ ...details }, message),
  };
}
