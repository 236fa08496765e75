/**
 * Writing events to the outbox inside the caller's transaction: the event exists if and only if the business
 * change commits. The relay publishes it afterwards (at least once; consumers dedupe by event_id).
 */
import type { ClientBase } from 'pg';
import type { EventEnvelope, PublishOptions, Runtime } from '../api.ts';
import { encodeEnvelope } from '../envelope.ts';
import { envelopeHeaders } from '../headers.ts';
import { ENVELOPE_CONTENT_TYPE, prepareEvent } from '../publish.ts';
import type { CompiledValidator, Destination, PublicationSpec } from '../spec.ts';
import type { OutgoingMessage } from '../transport.ts';
import { type OutboxTableOptions, outboxSql } from './sql.ts';

export interface EnqueueOptions extends OutboxTableOptions {
  readonly orderingKey?: string;
}

/** Insert an already-built envelope; `client` must be the one running the caller's transaction. */
export async function enqueue(
  client: ClientBase,
  envelope: EventEnvelope<unknown>,
  destination: Destination,
  options: EnqueueOptions = {},
): Promise<string> {
  return insertMessage(
    client,
    {
      destination,
      eventId: envelope.event_id,
      eventType: envelope.event_type,
      body: encodeEnvelope(envelope),
      contentType: ENVELOPE_CONTENT_TYPE,
      headers: envelopeHeaders(envelope),
      ...(options.orderingKey !== undefined ? { orderingKey: options.orderingKey } : {}),
    },
    options,
  );
}

/**
 * The outbox form of `publishEvent`: same validation, address parameters, size limit and dual publishing,
 * but the messages are inserted in the caller's transaction instead of sent.
 */
export async function enqueueEvent<T>(
  client: ClientBase,
  runtime: Runtime,
  spec: PublicationSpec,
  validate: CompiledValidator<T>,
  data: T,
  options: PublishOptions = {},
  table: OutboxTableOptions = {},
): Promise<EventEnvelope<T>> {
  const prepared = prepareEvent(runtime, spec, validate, data, options);
  for (const message of prepared.messages) await insertMessage(client, message, table);
  return prepared.envelope;
}

async function insertMessage(
  client: ClientBase,
  message: OutgoingMessage,
  table: OutboxTableOptions,
): Promise<string> {
  const { rows } = await client.query<{ id: string }>(outboxSql(table).insert, [
    message.eventId,
    message.eventType,
    JSON.stringify(message.destination),
    message.body,
    message.contentType,
    JSON.stringify(message.headers),
    message.orderingKey ?? null,
  ]);
  return rows[0]!.id;
}

export async function migrateOutbox(
  client: Pick<ClientBase, 'query'>,
  table: OutboxTableOptions = {},
): Promise<void> {
  const sql = outboxSql(table);
  await client.query(sql.createTable);
  await client.query(sql.createIndex);
}
