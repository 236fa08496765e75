/**
 * The body of a dead-letter copy. By default the payload's personal data (fields marked `x-eventwire-pii`) is
 * masked in it: a dead-letter queue is read by people and tools that the event's own consumers are not, and it
 * keeps messages far longer. Everything else in the body is kept as delivered (unknown CloudEvent attributes
 * included), so a DLQ reader still sees the ids, the event type and every unmarked field; the header
 * `x-eventwire-pii-masked` lists the masked fields. See runtime/README.md, "Personal data".
 */
import { maskPii, presentPii } from '../pii.ts';
import type { MaskedBody } from '../transport.ts';
import type { DecodedBody } from './decode.ts';

/** undefined when the payload holds none of the marked fields: the copy is then the delivered body, byte for byte. */
export function maskedDeadLetterBody(
  decoded: DecodedBody,
  pointers: readonly string[] | undefined,
): MaskedBody | undefined {
  if (!pointers || pointers.length === 0) return undefined;
  const data = decoded.envelope.data;
  const fields = presentPii(data, pointers);
  if (fields.length === 0) return undefined;
  const masked = maskPii(data, pointers);
  const raw = decoded.raw;
  // A CloudEvent may carry its payload base64-encoded; the copy keeps that form.
  const copy =
    decoded.format === 'cloudevent' && !('data' in raw) && typeof raw.data_base64 === 'string'
      ? { ...raw, data_base64: Buffer.from(JSON.stringify(masked)).toString('base64') }
      : { ...raw, data: masked };
  return { body: Buffer.from(JSON.stringify(copy)), fields };
}
