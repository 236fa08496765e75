import path from 'node:path';
import { peerDocuments } from './generators/corpus/peer.ts';
import { loadDocuments } from './generators/parse/load.ts';
import { eventwireVerdict } from './generators/parse/parity/eventwire-verdict.ts';
import { parserVerdict } from './generators/parse/parity/parser-verdict.ts';
const kind = (process.argv[2] ?? 'invalid') as 'invalid';
for (const d of peerDocuments(kind)) {
  const o = await eventwireVerdict(d.absPath);
  if (o.remote) continue;
  const p = await parserVerdict(d.absPath, o.closure);
  if (o.accepted === p.accepted && JSON.stringify(o.errorPlaces) === JSON.stringify(p.errorPlaces)) continue;
  const s = (x: readonly string[]) => x.map((e) => e.slice(e.indexOf('#'))).join(' | ');
  const r = await loadDocuments([d.absPath], { root: path.dirname(d.absPath), cacheDir: false });
  console.log(`${d.file.slice(0, 60)} ${d.asyncapi}\n   ours ${o.accepted} ${s(o.errorPlaces)}\n   pars ${p.accepted} ${s(p.errorPlaces)}\n   codes ${r.errors.map((e) => `${e.code}: ${e.message.slice(0, 90)}`).join(' || ')}`);
}
process.exit(0);
