/**
 * scanPost (what the parse stage keeps of every post) against toPost (the full parse of the posts that go
 * out): the same diagnostics for every file, and a ref that is exactly the full post's fields, on every
 * post of the golden sites and on permalinks whose URL the WHATWG parser rewrites (dot segments, `%2e`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/load/site.js';
import { parseConfig } from '../../src/config.js';
import { scanPost, toPost, type ParseContext, type SourceFile } from '../../src/parse/to-post.js';
import { toHttpUrl } from '../../src/render/urls.js';

const GOLDEN = path.join(import.meta.dirname, '..', 'golden');

/** Asserts that the scan and the full parse agree on `file`. */
function expectAgreement(file: SourceFile, ctx: ParseContext): void {
  const scan = scanPost(file, ctx);
  const full = toPost(file, ctx, { keepBody: false });
  expect(scan.diagnostics, file.displayPath).toEqual(full.diagnostics);
  expect(scan.usesBuildTime, file.displayPath).toBe(full.usesBuildTime);
  expect(scan.ref === undefined, file.displayPath).toBe(full.post === undefined);
  const { ref } = scan;
  const { post } = full;
  if (ref === undefined || post === undefined) return;
  // The ref's URL is already what toHttpUrl makes of it: making the AbsoluteUrl changes nothing.
  expect(toHttpUrl(ref.url)).toBe(ref.url);
  expect(ref).toEqual({
    sourcePath: post.sourcePath,
    displayPath: post.displayPath,
    id: post.id,
    url: post.url,
    date: post.date,
    updated: post.updated,
    published: post.published,
    categories: post.categories,
    tags: post.tags,
    ...(post.image === undefined ? {} : { image: post.image }),
    draft: post.draft,
    bodyOffset: post.bodyOffset,
    hasSummary: post.summary !== undefined,
  });
}

describe('scanPost', () => {
  it('agrees with toPost on every post of the golden sites', async () => {
    let checked = 0;
    for (const name of readdirSync(GOLDEN)) {
      const content = path.join(GOLDEN, name, 'content');
      let site;
      try {
        site = await loadSite(content, `${name}/content`);
      } catch {
        continue; // a site whose configuration is refused has no posts to compare
      }
      const now = new Date('2026-06-01T00:00:00Z');
      for (const listed of site.files) {
        const bytes = readFileSync(path.join(content, listed.rel));
        expectAgreement({ relPath: listed.rel, displayPath: `${name}/${listed.rel}`, bytes, draft: listed.kind === 'draft', mtimeMs: 0 }, { config: site.config, authors: site.authors, now });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('agrees with toPost on permalinks, slugs and base URLs whose URL the WHATWG parser rewrites', () => {
    const permalinks = ['/:title/', '/a/./b/:title', '/a/%2e%2e/:title/', '/a/%2E/:title', '/:title/.', '/:title/%2e', '/x/:title.:output_ext', '/a//b/:title/', '/é/:title/', '/a?b/:title', '/a#b/:title', '/a\\b/:title', '/%zz/:title'];
    const slugs = ['a-post', '..', '.', '%2e', '%2E%2e', 'a.b', 'ü-post', 'a b', 'a%20b'];
    const sites = ['url: https://site.example', 'url: https://site.example\nbaseurl: /blog', 'url: https://Site.Example:443\nbaseurl: /b%2e', 'url: https://site.example\nbaseurl: /a/.'];
    for (const siteYaml of sites) {
      const { config } = parseConfig(`title: T\n${siteYaml}\ntimezone: UTC\n`, 'content/_config.yml');
      if (config === undefined) throw new Error(siteYaml);
      for (const permalink of permalinks) {
        for (const slug of slugs) {
          const text = `---\ntitle: A\npermalink: ${JSON.stringify(permalink)}\nslug: ${JSON.stringify(slug)}\n---\nBody.\n`;
          expectAgreement({ relPath: '_posts/2026-02-01-a-post.md', displayPath: 'content/_posts/2026-02-01-a-post.md', bytes: new TextEncoder().encode(text) }, { config, authors: new Map() });
        }
      }
    }
  });
});
