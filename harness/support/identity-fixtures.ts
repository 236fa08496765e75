/** Valid identity payloads, typed by the generated identity types; `tag` makes the recipient unique. */
import { randomUUID } from 'node:crypto';
import type { EmailVerificationRequested } from '../../generated/identity/index.ts';

export function emailVerificationRequested(tag: string): EmailVerificationRequested {
  return {
    user_id: randomUUID(),
    recipient: `user-${tag}@example.com`,
    otp_code: '482915',
    locale: 'vi',
    expires_at: '2026-01-30T10:40:00Z',
  };
}
