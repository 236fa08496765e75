/**
 * The type-check sees only validators.d.ts; the ajv standalone code beside it is plain JavaScript. So each
 * generated validators.js is imported as a project would import it, and must export exactly the functions its
 * declaration promises, each answering a boolean for a value that matches no payload.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type ts from 'typescript';

function declaredExports(program: ts.Program, declaration: string): string[] | undefined {
  const source = program.getSourceFile(declaration);
  if (!source) return undefined;
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(source);
  return module ? checker.getExportsOfModule(module).map((symbol) => symbol.getName()) : [];
}

export async function checkValidators(
  program: ts.Program,
  folder: string,
  files: readonly string[],
): Promise<string[]> {
  const problems: string[] = [];
  for (const file of files.filter((f) => f.endsWith('/validators.js') || f === 'validators.js')) {
    const script = path.join(folder, file);
    const declaration = script.replace(/\.js$/, '.d.ts');
    const declared = existsSync(declaration) ? declaredExports(program, declaration) : undefined;
    if (!declared) {
      problems.push(`${file}: no validators.d.ts in the type-checked program`);
      continue;
    }
    let loaded: Record<string, unknown>;
    try {
      loaded = (await import(pathToFileURL(script).href)) as Record<string, unknown>;
    } catch (error) {
      problems.push(`${file}: cannot be imported: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const actual = Object.keys(loaded).sort();
    if (actual.join() !== [...declared].sort().join()) {
      problems.push(
        `${file}: exports ${actual.join(', ')} but validators.d.ts declares ${declared.join(', ')}`,
      );
    }
    for (const name of actual) {
      const validate = loaded[name];
      if (typeof validate !== 'function') problems.push(`${file}: ${name} is not a function`);
      else if (typeof validate(null) !== 'boolean')
        problems.push(`${file}: ${name} does not answer a boolean`);
    }
  }
  return problems;
}
