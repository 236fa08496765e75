/**
 * The k6 library restates the runtime's destination types (it is copied into teams' projects, where it cannot
 * import the runtime): they must stay the same types, or a script would publish where the service does not.
 */
import { expectTypeOf, it } from 'vitest';
import type { Destination, PublicationSpec } from '../../runtime/spec.ts';
import type { DualPublish, Destination as LoadDestination } from '../lib/types.ts';

it("the library's Destination and DualPublish are the runtime's", () => {
  expectTypeOf<LoadDestination>().toEqualTypeOf<Destination>();
  expectTypeOf<DualPublish>().toEqualTypeOf<NonNullable<PublicationSpec['dualPublish']>>();
});
