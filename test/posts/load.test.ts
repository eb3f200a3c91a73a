/** The library's load stage on the repository's own content: every post file read once, in path order. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPostFiles, parseConfig, toPost } from '../../src/index.js';

const CONTENT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'content');

describe('loadPostFiles', () => {
  it('reads every post under _posts/ in path order, and each parses', async () => {
    const { files, diagnostics } = await loadPostFiles(CONTENT, 'content');
    expect(diagnostics).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(files.map((f) => f.relPath)).toEqual([...files.map((f) => f.relPath)].sort());
    const { config } = parseConfig('title: T\nurl: https://t.example\n', '_config.yml');
    if (config === undefined) throw new Error('config');
    for (const file of files) {
      expect(file.displayPath).toBe(`content/${file.relPath}`);
      expect(toPost(file, { config, authors: new Map() }).post?.body?.length ?? 0).toBeGreaterThan(100);
    }
  });
});
