/**
 * Lua scripts for the steps that must check ownership and claim atomically. Each touches one stream key, so they
 * also run on Redis Cluster. Requires Redis >= 6.2 (XAUTOCLAIM).
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Lease renewal: resets the idle time of the entries this consumer still owns (XCLAIM ... JUSTID does not bump
 * the delivery counter), so they are not reclaimed while their handler runs or while they wait out a retry
 * backoff. Entries another consumer took over are left alone. Returns the ids still owned.
 * KEYS[1] stream; ARGV group, consumer, id...
 */
export const RENEW_LEASES = `
local owned = {}
for i = 3, #ARGV do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2])
  if #p == 1 then owned[#owned + 1] = ARGV[i] end
end
if #owned > 0 then
  local args = {'XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0}
  for _, id in ipairs(owned) do args[#args + 1] = id end
  args[#args + 1] = 'JUSTID'
  redis.call(unpack(args))
end
return owned
`;

/**
 * Redelivery after a retry backoff: if this consumer still owns the entry, claim it again and return
 * `{entries, deliveryCount}`; nil when someone else owns it. After a failure the claim bumps the delivery counter,
 * which is the attempt number; after a wait (ARGV[4] = '1') RETRYCOUNT keeps the counter where it was, so a
 * wait spends no attempt. An entry trimmed from the stream meanwhile comes back as no entries (XCLAIM drops it
 * from the PEL).
 * KEYS[1] stream; ARGV group, consumer, id, wait ('1' or '0')
 */
export const CLAIM_OWNED = `
local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1, ARGV[2])
if #p == 0 then return nil end
local entries
if ARGV[4] == '1' then
  entries = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3], 'RETRYCOUNT', p[1][4])
else
  entries = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[3])
end
local after = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[3], 1)
local count = 0
if #after == 1 then count = after[1][4] end
return {entries, count}
`;

/**
 * Hand-over of entries left waiting at a graceful stop: their delivery counters are set one below the attempt
 * they are at, so the consumer that takes them over (XAUTOCLAIM, +1) delivers them at the same attempt: a wait
 * spends no attempt, even across consumers. Entries another consumer owns by now are left alone.
 * KEYS[1] stream; ARGV group, consumer, then id, count pairs
 */
export const SET_COUNTS = `
for i = 3, #ARGV, 2 do
  local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1, ARGV[2])
  if #p == 1 then
    redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'RETRYCOUNT', ARGV[i + 1], 'JUSTID')
  end
end
return 1
`;

/**
 * Crash recovery: XAUTOCLAIM entries idle for at least processingTimeout and report each one's delivery count.
 * Returns `{nextCursor, entries, counts}`.
 * KEYS[1] stream; ARGV group, consumer, minIdleMs, cursor, count
 */
export const CLAIM_IDLE = `
local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
local entries = {}
local counts = {}
for _, e in ipairs(r[2]) do
  if e then
    local p = redis.call('XPENDING', KEYS[1], ARGV[1], e[1], e[1], 1)
    entries[#entries + 1] = e
    counts[#counts + 1] = (#p == 1) and p[1][4] or 1
  end
end
return {r[1], entries, counts}
`;

/**
 * Batch append: one script call XADDs many entries to one stream, which costs the client one command instead of
 * one per message (ioredis' per-command overhead, not Redis, limits pipelined XADDs to ~55k/s on a small box).
 * Entries are exactly those a plain XADD would write (layout.ts).
 * KEYS[1] stream; ARGV[1] maxLenApprox (0: no trimming); then per entry: data, metadata ('' when absent).
 */
export const XADD_BATCH = `
local key, limit = KEYS[1], ARGV[1]
local trim = tonumber(limit) > 0
for i = 2, #ARGV, 2 do
  local data, metadata = ARGV[i], ARGV[i + 1]
  if trim and metadata ~= '' then
    redis.call('XADD', key, 'MAXLEN', '~', limit, '*', 'data', data, 'metadata', metadata)
  elseif trim then
    redis.call('XADD', key, 'MAXLEN', '~', limit, '*', 'data', data)
  elseif metadata ~= '' then
    redis.call('XADD', key, '*', 'data', data, 'metadata', metadata)
  else
    redis.call('XADD', key, '*', 'data', data)
  end
end
return (#ARGV - 1) / 2
`;

const shas = new Map<string, string>();

export function scriptSha(script: string): string {
  let sha = shas.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    shas.set(script, sha);
  }
  return sha;
}

/** EVALSHA with a fallback to EVAL when the server's script cache does not have the script yet. */
export async function runScript(
  redis: Redis,
  script: string,
  key: string,
  args: readonly (string | number | Buffer)[],
): Promise<unknown> {
  const sha = scriptSha(script);
  try {
    return await redis.callBuffer('EVALSHA', sha, 1, key, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.callBuffer('EVAL', script, 1, key, ...args);
  }
}
