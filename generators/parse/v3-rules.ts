/**
 * The checks the AsyncAPI parser's default ruleset makes at error severity on AsyncAPI 3 documents that the
 * JSON Schema cannot express (ruleset/v3/ruleset.js and the core ruleset), done on eventwire's own reading of
 * the document. Each follows its rule's selection exactly (what it looks at, which inputs it skips, where it
 * reports), so the verdicts and the places are the parser's; so are the messages (people who know the parser
 * recognise them), and eventwire adds a hint on how to fix each.
 *
 * Checked before this runs, by the loader (prepare.ts, refs.ts): the `asyncapi` version (`asyncapi-is-asyncapi`),
 * YAML syntax and duplicate keys, and every `$ref` resolving (Spectral's `invalid-ref`).
 */
import { createRequire } from 'node:module';
import { isRecord } from './pointer.ts';

const require = createRequire(import.meta.url);

export interface RuleFinding {
  /** The parser's rule name. */
  readonly rule: string;
  /** Where, in the document as written (`resolved: false`) or with its `$ref`s resolved (`resolved: true`). */
  readonly path: readonly string[];
  readonly resolved: boolean;
  readonly message: string;
  readonly hint?: string;
}

/** The pattern the parser's reference inputs are checked against (its ajv-formats "uri-reference"). */
let uriReference: RegExp | undefined;
function isUriReference(value: string): boolean {
  uriReference ??= (require('ajv-formats/dist/formats.js') as { fullFormats: Record<string, RegExp> })
    .fullFormats['uri-reference'] as RegExp;
  return uriReference.test(value);
}

/** Entries of a value JSONPath's `*` walks: an object's or an array's. */
function members(value: unknown): Array<[string, unknown]> {
  return typeof value === 'object' && value !== null ? Object.entries(value) : [];
}

/** A value lodash `isObject` accepts: the rules' field lookups only read into these. */
const isObjectLike = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** A Reference Object as the rule's input schema accepts it: an object whose `$ref`, if any, is a URI reference. */
function isReferenceInput(value: unknown): boolean {
  if (value === undefined) return true;
  if (!isRecord(value)) return false;
  return value.$ref === undefined || (typeof value.$ref === 'string' && isUriReference(value.$ref));
}

/** `asyncapi3-operation-messages-from-referred-channel`: an operation's messages are its channel's messages. */
function operationMessages(raw: Record<string, unknown>, findings: RuleFinding[]): void {
  const components = isRecord(raw.components) ? raw.components : {};
  for (const [base, operations] of [
    [['operations'], raw.operations],
    [['components', 'operations'], components.operations],
  ] as const) {
    for (const [id, operation] of members(operations)) {
      if (!isRecord(operation) || !isReferenceInput(operation.channel)) continue;
      const { messages } = operation;
      if (messages !== undefined && !(Array.isArray(messages) && messages.every(isReferenceInput))) continue;
      const channelRef = isRecord(operation.channel) ? operation.channel.$ref : undefined;
      for (const [index, message] of (Array.isArray(messages) ? messages : []).entries()) {
        const ref = (message as { $ref?: unknown }).$ref;
        if (typeof ref === 'string' && ref !== '' && !ref.startsWith(`${String(channelRef)}/messages`)) {
          findings.push({
            rule: 'asyncapi3-operation-messages-from-referred-channel',
            path: [...base, id, 'messages', String(index)],
            resolved: false,
            message: 'Operation message does not belong to the specified channel.',
            hint: `reference one of the channel's messages: "${String(channelRef)}/messages/<name>"`,
          });
        }
      }
    }
  }
}

/** A Spectral `pattern` on a field: only string values are checked. */
function patternFinding(
  rule: string,
  value: unknown,
  path: readonly string[],
  match: RegExp,
  message: string,
  hint: string,
): RuleFinding | undefined {
  if (typeof value !== 'string' || match.test(value)) return undefined;
  return { rule, path, resolved: false, message, hint };
}

/** `asyncapi3-required-operation-channel-unambiguity`: a root operation's channel is a root channel. */
function operationChannels(raw: Record<string, unknown>, findings: RuleFinding[]): void {
  for (const [id, operation] of members(raw.operations)) {
    const onObject = isObjectLike(operation);
    const value = onObject
      ? isObjectLike((operation as { channel?: unknown }).channel)
        ? ((operation as { channel: Record<string, unknown> }).channel.$ref ?? undefined)
        : undefined
      : operation;
    const path = onObject ? ['operations', id, 'channel', '$ref'] : ['operations', id];
    const finding = patternFinding(
      'asyncapi3-required-operation-channel-unambiguity',
      value,
      path,
      /#\/channels\//,
      'The "channel" field of an operation under the root "operations" object must always reference a channel under the root "channels" object.',
      'reference a root channel: "#/channels/<name>"',
    );
    if (finding) findings.push(finding);
  }
}

/** `asyncapi3-required-channel-servers-unambiguity`: a root channel's servers are root servers. */
function channelServerRefs(raw: Record<string, unknown>, findings: RuleFinding[]): void {
  for (const [name, channel] of members(raw.channels)) {
    const targets: Array<[unknown, string[]]> = isObjectLike(channel)
      ? members((channel as { servers?: unknown }).servers)
          .filter(([, server]) => isObjectLike(server) && '$ref' in server)
          .map(([index, server]) => [
            (server as { $ref: unknown }).$ref,
            ['channels', name, 'servers', index, '$ref'],
          ])
      : [[channel, ['channels', name]]];
    for (const [value, path] of targets) {
      const finding = patternFinding(
        'asyncapi3-required-channel-servers-unambiguity',
        value,
        path,
        /#\/servers\//,
        'The "servers" field of a channel under the root "channels" object must always reference a subset of the servers under the root "servers" object.',
        'reference a root server: "#/servers/<name>"',
      );
      if (finding) findings.push(finding);
    }
  }
}

/**
 * `asyncapi3-channel-servers`: servers named by a channel exist. Its input is the whole resolved document and
 * must have string server names in every channel, so it only speaks where servers are listed by name.
 */
function channelServerNames(resolved: Record<string, unknown>, findings: RuleFinding[]): void {
  const { servers, channels } = resolved;
  if (servers !== undefined && !isRecord(servers)) return;
  if (channels === undefined) return;
  if (!isRecord(channels)) return;
  for (const channel of Object.values(channels)) {
    if (!isRecord(channel)) return;
    const listed = channel.servers;
    if (listed !== undefined && !(Array.isArray(listed) && listed.every((s) => typeof s === 'string')))
      return;
  }
  const names = Object.keys(servers ?? {});
  for (const [address, channel] of Object.entries(channels)) {
    for (const [index, server] of ((channel as { servers?: string[] }).servers ?? []).entries()) {
      if (!names.includes(server)) {
        findings.push({
          rule: 'asyncapi3-channel-servers',
          path: ['channels', address, 'servers', String(index)],
          resolved: true,
          message: 'Channel contains server that are not defined on the "servers" object.',
          hint: 'name a server of the root "servers" object',
        });
      }
    }
  }
}

/** `asyncapi3-channel-no-query-nor-fragment`: a channel's key has no `?` or `#`. */
function channelKeys(resolved: Record<string, unknown>, findings: RuleFinding[]): void {
  if (!isObjectLike(resolved.channels)) return;
  for (const key of Object.keys(resolved.channels)) {
    if (/[?#]/.test(key)) {
      findings.push({
        rule: 'asyncapi3-channel-no-query-nor-fragment',
        path: ['channels', key],
        resolved: true,
        message: 'Channel address should not include query ("?") or fragment ("#") delimiter.',
        hint: 'remove "?" and "#" from the channel name',
      });
    }
  }
}

/** The `{name}` variables of a channel address, as the parser's parseUrlVariables finds them. */
function addressVariables(address: unknown): string[] {
  if (typeof address !== 'string') return [];
  return (address.match(/{(.+?)}/g) ?? []).map((variable) => variable.slice(1, -1));
}

/** `asyncapi3-channel-parameters`: every address variable has a parameter, and every parameter a variable. */
function channelParameters(resolved: Record<string, unknown>, findings: RuleFinding[]): void {
  const components = isRecord(resolved.components) ? resolved.components : {};
  for (const [base, channels] of [
    [['channels'], resolved.channels],
    [['components', 'channels'], components.channels],
  ] as const) {
    for (const [id, channel] of members(channels)) {
      if (!isRecord(channel) || !isRecord(channel.parameters)) continue;
      const { address, parameters } = channel;
      if (address !== undefined && address !== null && typeof address !== 'string') continue;
      const variables = addressVariables(address);
      const declared = Object.keys(parameters);
      const missing =
        declared.length === 0 ? variables : variables.filter((v) => !Object.hasOwn(parameters, v));
      if (missing.length > 0) {
        findings.push({
          rule: 'asyncapi3-channel-parameters',
          path: [...base, id, 'parameters'],
          resolved: true,
          message: `Not all channel's parameters are described with "parameters" object. Missed: ${missing.join(', ')}.`,
          hint: `declare ${missing.map((m) => `"${m}"`).join(', ')} under the channel's "parameters"`,
        });
      }
      const redundant = variables.length === 0 ? declared : declared.filter((p) => !variables.includes(p));
      for (const parameter of redundant) {
        findings.push({
          rule: 'asyncapi3-channel-parameters',
          path: [...base, id, 'parameters', parameter],
          resolved: true,
          message: `Channel's "parameters" object has redundant defined "${parameter}" parameter.`,
          hint: `use it in the address as "{${parameter}}", or remove it`,
        });
      }
    }
  }
}

/** Every finding of the six rules; `raw` is the document as written, `resolved` with its `$ref`s resolved. */
export function v3RuleFindings(raw: unknown, resolved: unknown): RuleFinding[] {
  const findings: RuleFinding[] = [];
  if (isRecord(raw)) {
    operationMessages(raw, findings);
    operationChannels(raw, findings);
    channelServerRefs(raw, findings);
  }
  if (isRecord(resolved)) {
    channelServerNames(resolved, findings);
    channelKeys(resolved, findings);
    channelParameters(resolved, findings);
  }
  return findings;
}
