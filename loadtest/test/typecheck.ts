/**
 * Type-checks k6 code with loadtest/tsconfig.json (k6's types, no Node types), through the TypeScript API so a
 * test can check scripts written to a temporary workspace as well as the harness itself.
 */
import { join } from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './workspace.ts';

const CONFIG = join(REPO_ROOT, 'loadtest/tsconfig.json');

function parsedConfig(): ts.ParsedCommandLine {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  };
  const parsed = ts.getParsedCommandLineOfConfigFile(CONFIG, {}, host);
  if (!parsed) throw new Error(`cannot read ${CONFIG}`);
  return parsed;
}

/** Diagnostics as `file(line,col): message`; `rootNames` defaults to the files the config includes. */
export function k6TypeErrors(rootNames?: readonly string[]): string[] {
  const parsed = parsedConfig();
  const program = ts.createProgram({ rootNames: rootNames ?? parsed.fileNames, options: parsed.options });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return message;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}(${line + 1},${character + 1}): ${message}`;
  });
}

/** The config's include list, so a test can assert the generated scripts are covered by it. */
export function k6ConfigIncludes(): readonly string[] {
  return (parsedConfig().raw as { include?: string[] }).include ?? [];
}
