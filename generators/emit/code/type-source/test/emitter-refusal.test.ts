/**
 * What the types emitter does when the re-printer refuses the library's output: a CodeEmitError naming the
 * service and the re-printer's reason, not a crash. (The library's output never leaves the grammar for the
 * schemas the emitter passes it, so the refusal is simulated.)
 */
import { describe, expect, it, vi } from 'vitest';
import { message, model, send, service, topicChannel } from '../../../test-support/model-builders.ts';
import { CodeEmitError } from '../../errors.ts';
import { TypeSourceError } from '../tokens.ts';

vi.mock('../../ts-source.ts', () => ({
  reprintDeclarations: () => {
    throw new TypeSourceError('cannot read the generated types at line 1, column 1: expected a type');
  },
}));

const { typesPlugin } = await import('../../types-plugin.ts');

describe('typesPlugin when the re-printer refuses', () => {
  it('reports a CodeEmitError with the service and the reason', async () => {
    const contract = model(service('svc', [send('publish', topicChannel('t'), [message('thing')])]));
    const emitted = typesPlugin.emit(contract, { outDir: 'g' });
    await expect(emitted).rejects.toThrow(CodeEmitError);
    await expect(typesPlugin.emit(contract, { outDir: 'g' })).rejects.toThrow(
      /cannot re-print the payload types of service "svc": cannot read the generated types at line 1, column 1/,
    );
  });
});
