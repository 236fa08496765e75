/**
 * k6 durations, parsed the way k6 parses them (lib/types ParseExtendedDuration: Go's time.ParseDuration, plus a
 * leading `<n>d` for days and a bare number for milliseconds), and printed back in k6's own form. Pure: k6 and
 * Node both run it.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const GO_PART = /([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)/y;

/** Go's time.ParseDuration, in milliseconds; undefined when Go would refuse the text. */
function goDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let total = 0;
  GO_PART.lastIndex = 0;
  while (GO_PART.lastIndex < rest.length) {
    const match = GO_PART.exec(rest);
    if (!match || match[1] === '' || match[1] === '.') return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return sign * total;
}

/** Milliseconds of a k6 duration string, or undefined when k6 would refuse it. */
export function parseK6Duration(text: string): number | undefined {
  if (/^[+-]?[0-9]+(\.[0-9]+)?$/.test(text)) return Number(text);
  const d = text.indexOf('d');
  if (d < 0) return goDuration(text);
  const days = text.slice(0, d);
  if (!/^[+-]?[0-9]+$/.test(days)) return undefined;
  const hours = d + 1 < text.length ? goDuration(text.slice(d + 1)) : 0;
  if (hours === undefined || hours < 0) return undefined;
  const sign = Number(days) < 0 ? -1 : 1;
  return Number(days) * 86_400_000 + sign * hours;
}

/** k6 refuses scenario durations below one second (lib/executor: minDuration). */
export const MIN_SCENARIO_MS = 1000;

/** Whole seconds as k6 prints them: `90s` -> `1m30s`, `3600s` -> `1h0m0s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
