/** toPost on post files Psych reads but the `yaml` package alone refused, and on a repeated key. */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { toPost } from '../../src/parse/to-post.js';

const { config } = parseConfig('title: T\nurl: https://site.example\ntimezone: UTC\n', 'content/_config.yml');
if (config === undefined) throw new Error('config');
const ctx = { config, authors: new Map() };
const file = (text: string): { relPath: string; displayPath: string; bytes: Uint8Array } => ({ relPath: '_posts/2026-02-01-a-post.md', displayPath: 'content/_posts/2026-02-01-a-post.md', bytes: new TextEncoder().encode(text) });

describe('yaml in posts: toPost', () => {
  it('publishes a CRLF post with a flow list of quoted tags and an excerpt wrapped onto unindented lines', () => {
    const { post, diagnostics } = toPost(file('---\r\ntitle: "A post"\r\nexcerpt: "The first line\r\nand the second."\r\ntags: ["a", "b"]\r\n---\r\nBody.\r\n'), ctx);
    expect(diagnostics).toEqual([]);
    expect(post).toMatchObject({ title: 'A post', summary: 'The first line and the second.', tags: ['a', 'b'], body: 'Body.\r\n' });
  });

  it('publishes a post with a repeated key as Jekyll does (the last value) and warns, naming both lines', () => {
    const { post, diagnostics } = toPost(file('---\ntitle: First\ndate: 2026-02-01 10:00:00\ntitle: Second\n---\nBody.\n'), ctx);
    expect(post?.title).toBe('Second');
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'warning', code: 'YAML_DUPLICATE_KEY', file: 'content/_posts/2026-02-01-a-post.md', line: 4, message: "key 'title' is repeated (line 2 and line 4); the last value is used, as Jekyll does" })]);
  });

  it('keeps E0 as text (a title Psych does not read as a number)', () => {
    const { post } = toPost(file('---\ntitle: E0\n---\n'), ctx);
    expect(post?.title).toBe('E0');
  });
});
