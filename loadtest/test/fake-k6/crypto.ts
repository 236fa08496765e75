/** Fake of `k6/crypto`: random bytes from Node's CSPRNG, as an ArrayBuffer like k6's. */
import { randomBytes as nodeRandomBytes } from 'node:crypto';

export function randomBytes(size: number): ArrayBuffer {
  const bytes = nodeRandomBytes(size);
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + size);
}
