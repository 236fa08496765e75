/**
 * The reasons a corpus document may be refused for: each a limit of eventwire that the refusal states and says
 * how to get past. A refusal for any other reason (or none matched) is a regression to look at. The summaries
 * are the report's words; the `includes` text is part of the loader's own message for that problem.
 */
import type { Diagnostic } from '../model/index.ts';

export interface RefusalReason {
  readonly id: string;
  /** The Diagnostic code the loader or the model gives this problem. */
  readonly code: string;
  /** Text the error message contains. */
  readonly includes: string;
  readonly summary: string;
  readonly fix: string;
}

export const REFUSAL_REASONS = [
  {
    id: 'xml-payload',
    code: 'unsupported-schema-format',
    includes: 'unsupported schemaFormat "application/xml"',
    summary: 'XML payload schema: types and validators are generated from JSON Schema (and Avro)',
    fix: 'describe the payload with JSON Schema',
  },
  {
    id: 'remote-ref',
    code: 'remote-ref',
    includes: 'is not fetched: contracts are read from local files only',
    summary: 'remote `$ref` (https): contracts are read from local files only',
    fix: 'save the referenced file next to the document and reference it by relative path',
  },
  {
    id: 'amqp-runtime-queue',
    code: 'unsupported-amqp-binding',
    includes: 'which eventwire cannot declare or consume ahead of time',
    summary: 'receiving on an AMQP queue named at run time (an RPC reply queue `{queue}`)',
    fix: 'receive on a queue with a fixed name, or on a named exchange with `x-eventwire-queue`',
  },
] as const satisfies readonly RefusalReason[];

export type RefusalReasonId = (typeof REFUSAL_REASONS)[number]['id'];

/** The allow-listed reason an error states, if any. */
export function reasonOf(error: Diagnostic): RefusalReason | undefined {
  return REFUSAL_REASONS.find(
    (reason) => reason.code === error.code && error.message.includes(reason.includes),
  );
}
