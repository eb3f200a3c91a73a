import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWithJekyll } from '../support/jekyll.js';
export async function build(o: { contentDir: string; now: Date }) {
  const w = await mkdtemp(join(tmpdir(), 'stub-'));
  const b = await buildWithJekyll(o.contentDir, w);
  let xml = b.feedXml;
  return { files: [{ path: 'atom.xml', contents: xml }], diagnostics: [] };
}
