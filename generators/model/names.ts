/**
 * Identifier rules shared by the model builder and every emitter, so a message called `catalog.product.created`
 * is `CatalogProductCreated` everywhere and no emitter invents its own spelling.
 */

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'as implements interface let package private protected public static yield any boolean constructor declare get ' +
    'module require number set string symbol type from of async await unknown never object undefined'
  ).split(' '),
);

/** Splits on anything that is not a letter or digit, and on lower-to-upper case changes. */
export function words(input: string): string[] {
  return input
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0);
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** `catalog.product.created` -> `CatalogProductCreated`; a leading digit gets a `_` prefix. */
export function pascalCase(input: string): string {
  const joined = words(input).map(capitalize).join('');
  return safeIdentifier(joined === '' ? 'Unnamed' : joined);
}

/** `product-created` -> `productCreated`; reserved words get a trailing `_`. */
export function camelCase(input: string): string {
  const pascal = words(input).map(capitalize).join('');
  const camel = pascal.charAt(0).toLowerCase() + pascal.slice(1);
  return safeIdentifier(camel === '' ? 'unnamed' : camel);
}

/** `warehouse.inventory.stock_changed` -> `warehouse-inventory-stock-changed`. */
export function kebabCase(input: string): string {
  return words(input)
    .map((w) => w.toLowerCase())
    .join('-');
}

/** Makes any string a valid TypeScript identifier that is not a reserved word. */
export function safeIdentifier(input: string): string {
  let id = input.replace(/[^A-Za-z0-9_$]/g, '_');
  if (id === '') id = '_';
  if (/^[0-9]/.test(id)) id = `_${id}`;
  if (RESERVED.has(id)) id = `${id}_`;
  return id;
}
