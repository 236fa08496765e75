/**
 * Type-checks the generated TypeScript of many documents with one compiler Program (the runtime and the
 * standard library are then read once for all of them), under the project's tsconfig plus the stricter flags
 * user projects turn on. Only the generated files are checked: the runtime has its own checks.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';
import { REPO_ROOT } from './documents.ts';

/** The project's options plus the stricter flags user projects often enable: generated code must pass them. */
export function strictCompilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(REPO_ROOT, 'tsconfig.json'), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, REPO_ROOT);
  return {
    ...parsed.options,
    noEmit: true,
    exactOptionalPropertyTypes: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noPropertyAccessFromIndexSignature: true,
    noImplicitReturns: true,
  };
}

export async function typeScriptFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.filter((entry) => entry.endsWith('.ts')).map((entry) => path.join(dir, entry));
}

function describe(diagnostic: ts.Diagnostic, base: string): string {
  const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file) return text;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  return `${path.relative(base, diagnostic.file.fileName)}:${line + 1}:${character + 1} ${text}`;
}

export interface TypeCheckResult {
  /** Diagnostics of each folder's files (`file:line:col message`, paths relative to the folder). */
  readonly byFolder: ReadonlyMap<string, readonly string[]>;
  /** Problems with the options or the program as a whole. */
  readonly global: readonly string[];
  readonly program: ts.Program;
  readonly files: number;
}

export async function typeCheckFolders(folders: readonly string[]): Promise<TypeCheckResult> {
  const filesByFolder = new Map<string, string[]>();
  for (const folder of folders) filesByFolder.set(folder, await typeScriptFiles(folder));
  const rootNames = [...filesByFolder.values()].flat();
  const program = ts.createProgram({ rootNames, options: strictCompilerOptions() });
  const byFolder = new Map<string, string[]>();
  for (const [folder, files] of filesByFolder) {
    const problems = files.flatMap((file) => {
      const source = program.getSourceFile(file);
      if (!source) return [`${path.relative(folder, file)}: not part of the program`];
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
        (diagnostic) => describe(diagnostic, folder),
      );
    });
    byFolder.set(folder, problems);
  }
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) =>
    describe(d, REPO_ROOT),
  );
  return { byFolder, global, program, files: rootNames.length };
}
