/** One entry per output format: a format missing here fails to compile. */
import type { Change, Finding, OutputFormat } from '../types.ts';
import { githubChanges, githubFindings } from './github.ts';
import { humanChanges, humanFindings } from './human.ts';
import { sarifChanges, sarifFindings } from './sarif.ts';

export interface FormatOptions {
  readonly color: boolean;
  readonly cwd: string;
}

type Formatter<T> = (items: readonly T[], options: FormatOptions) => string;

export const FINDING_FORMATS: Readonly<Record<OutputFormat, Formatter<Finding>>> = {
  human: (findings, o) => humanFindings(findings, o.color),
  json: (findings) => `${JSON.stringify({ findings }, null, 2)}\n`,
  github: (findings) => githubFindings(findings),
  sarif: (findings, o) => sarifFindings(findings, o.cwd),
};

export const CHANGE_FORMATS: Readonly<Record<OutputFormat, Formatter<Change>>> = {
  human: (changes, o) => humanChanges(changes, o.color),
  json: (changes) =>
    `${JSON.stringify({ breaking: changes.filter((c) => c.classification === 'breaking').length, changes }, null, 2)}\n`,
  github: (changes) => githubChanges(changes),
  sarif: (changes, o) => sarifChanges(changes, o.cwd),
};
