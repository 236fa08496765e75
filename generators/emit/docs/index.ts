/** Markdown documentation emitter: `docs/index.md`, `docs/services/<service>.md`, `docs/events/<event-type>.md`. */
export { docsPlugin } from './plugin.ts';
