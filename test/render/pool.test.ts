/**
 * The render pool gives what rendering on the main thread gives, in input order, however the batches fall
 * between the main thread and the workers, and when a worker dies (here: out of a heap limit too small to
 * load it) its batches are rendered on the main thread. Runs the built pool (dist/), as its worker is a file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PartsOptions, RenderItem } from '../../src/render/parts.js';
import { renderParts } from '../../src/render/parts.js';
import type { RenderPool as RenderPoolType } from '../../src/render/pool.js';
import type { AbsoluteUrl } from '../../src/types.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { RenderPool } = (await import(path.join(ROOT, 'dist', 'render', 'pool.js'))) as { RenderPool: typeof RenderPoolType };

const options: PartsOptions = { excerptOnly: false, iframeHosts: ['player.example'], markdown: {} };
const items: RenderItem[] = Array.from({ length: 150 }, (_, i) => ({
  url: `https://site.example/${i}/` as AbsoluteUrl,
  body: `# Post ${i}\n\nText *${i}* with a [link](../x-${i}/) and a note.[^n]\n\n<iframe src="https://player.example/v/${i}"></iframe>\n\n[^n]: Note ${i}.\n`,
  excerpt: `Text *${i}*`,
  markdown: i % 7 !== 0,
}));
const inline = items.map((item) => renderParts(item, options));

describe('RenderPool', () => {
  it('renders on the main thread and a worker, in input order, as inline rendering does', async () => {
    const pool = new RenderPool(options, 1, 1);
    pool.start();
    try {
      const [a, b] = await Promise.all([pool.render(items.slice(0, 70)), pool.render(items.slice(70))]);
      expect([...a, ...b]).toEqual(inline);
    } finally {
      await pool.close();
    }
  });

  it('renders a dead worker\'s batches on the main thread', async () => {
    const pool = new RenderPool(options, 1, 1, { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 });
    pool.start();
    try {
      expect(await pool.render(items)).toEqual(inline);
    } finally {
      await pool.close();
    }
  });
});
