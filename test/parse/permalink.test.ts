/**
 * Jekyll's permalink templates (Jekyll 4.3 `URL#generate_url_from_hash`, `Drops::UrlDrop`), filled from a
 * template split once and reused for every post: the same template gives each post its own values.
 */
import { describe, expect, it } from 'vitest';
import { toPermalinkPath, type PermalinkInput } from '../../src/parse/permalink.js';

const post = (over: Partial<PermalinkInput> = {}): PermalinkInput => ({
  template: '/:categories/:year/:month/:day/:title:output_ext',
  date: new Date('2026-01-18T22:05:00Z'),
  timeZone: 'Asia/Karachi',
  categories: ['News', 'Local'],
  slug: 'Harbour-Works',
  basename: '2026-01-18-harbour-works',
  cleanedPath: '2026-01-18-harbour-works',
  outputExt: '.html',
  ...over,
});

describe('toPermalinkPath', () => {
  it('fills the date in the site zone, categories lowercased, the title kept in its case', () => {
    expect(toPermalinkPath(post())).toEqual({ path: '/news/local/2026/01/19/Harbour-Works.html' });
  });

  it('gives each post its own values from the same template (the split is shared, the values are not)', () => {
    const template = '/:year/:i_month/:slug/';
    expect(toPermalinkPath(post({ template }))).toEqual({ path: '/2026/1/harbour-works/' });
    expect(toPermalinkPath(post({ template, date: new Date('2025-11-02T10:00:00Z'), slug: 'Other' }))).toEqual({ path: '/2025/11/other/' });
  });

  it('reads a name ending in `_` as the name without it when only that is known (`:title_` before text)', () => {
    expect(toPermalinkPath(post({ template: '/:title_x/' }))).toEqual({ unknownPlaceholder: ':title_x' });
    expect(toPermalinkPath(post({ template: '/:slug_/a' }))).toEqual({ path: '/harbour-works_/a' });
  });

  it('reports the first placeholder Jekyll does not know, names of Object.prototype among them', () => {
    expect(toPermalinkPath(post({ template: '/:year/:nope/:other/' }))).toEqual({ unknownPlaceholder: ':nope' });
    expect(toPermalinkPath(post({ template: '/:constructor/:title/' }))).toEqual({ unknownPlaceholder: ':constructor' });
  });

  it('formats names and weeks only when asked, in the site zone', () => {
    expect(toPermalinkPath(post({ template: '/:short_month/:long_day/:week/:y_day/' }))).toEqual({ path: '/Jan/Monday/04/019/' });
  });
});
