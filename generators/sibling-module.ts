/**
 * The file of a module beside the calling one. In this repository modules are `.ts` files that Node runs by
 * stripping their types; in the built package (dist/) they are `.js` files. A module that starts a sibling as a
 * worker, or reads a sibling's code to salt a cache with it, names the sibling `x.ts` and gets the file that
 * exists in either layout.
 */
export function siblingModule(specifier: string, base: string): URL {
  const url = new URL(specifier, base);
  if (!isBuilt(base) || !url.pathname.endsWith('.ts')) return url;
  return new URL(`${url.pathname.slice(0, -'.ts'.length)}.js`, url);
}

/** The extension of the calling module's siblings: `.ts` from source, `.js` from the built package. */
export function moduleExtension(base: string): '.ts' | '.js' {
  return isBuilt(base) ? '.js' : '.ts';
}

function isBuilt(base: string): boolean {
  return new URL(base).pathname.endsWith('.js');
}
