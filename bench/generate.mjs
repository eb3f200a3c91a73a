// Deterministic synthetic post collections in the seed's shape, for `npm run bench`.
// Usage: node bench/generate.mjs <dir> <posts>   (the same count always gives the same bytes)
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const CATEGORIES = ['News', 'Business', 'Culture', 'Sport', 'Politics', 'Science', 'Health', 'Travel', 'Opinion', 'World', 'Local', 'Technology'];
const TAGS = ['harbour', 'council', 'budget', 'ferry', 'schools', 'housing', 'transport', 'weather', 'elections', 'music', 'football', 'rowing', 'energy', 'jobs', 'markets', 'tourism', 'health', 'science', 'books', 'film'];
const WORDS = 'the council said on monday that harbour works would continue through winter despite storms residents asked for more notice before roads close and the ferry operator plans new sailings while traders report busier weekends at the market hall volunteers cleared the beach after high tides and the school board approved a budget for repairs'.split(' ');

// Mulberry32: a tiny seeded PRNG so every run writes the same collection.
function rng(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sentence(r, n) {
  const words = Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]);
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return `${words.join(' ')}.`;
}

function body(r, i) {
  const parts = [];
  const target = 2000 + Math.floor(r() * 3000);
  let size = 0;
  let k = 0;
  while (size < target) {
    let block;
    switch (k % 7) {
      case 2: block = `## ${sentence(r, 4)}`; break;
      case 3: block = `${sentence(r, 12)} See [the earlier report](../../${(i + 7) % 1000}/notes/) and [the council site](https://council.example.org/${k}).`; break;
      case 4: block = `![Photo ${k}](/assets/images/post-${i % 500}.jpg)`; break;
      case 5: block = k % 3 === 0 ? `<figure><img src="/assets/images/post-${i % 500}.jpg" alt="x" onclick="track()"><figcaption>${sentence(r, 6)}</figcaption></figure>` : `- ${sentence(r, 6)}\n- ${sentence(r, 5)}\n- ${sentence(r, 7)}`; break;
      default: block = `${sentence(r, 14)} ${sentence(r, 10)} ${sentence(r, 12)}`;
    }
    parts.push(block);
    size += block.length + 2;
    k++;
  }
  return parts.join('\n\n');
}

/**
 * Writes the site's `_config.yml`: with `taxonomies`, jekyll-feed's category and tag feeds on and
 * `feed.posts_limit` set (a news site's configuration); without, jekyll-feed's defaults (site feed, 10 posts).
 */
export function writeConfig(dir, { postsLimit, taxonomies }) {
  writeFileSync(path.join(dir, '_config.yml'), [
    'title: Bench Gazette', 'description: Synthetic news for benchmarks', 'url: https://bench.example', 'timezone: Europe/London', 'lang: en',
    'author:', '  name: Bench Desk', '  email: desk@bench.example', 'permalink: /:categories/:year/:month/:day/:title:output_ext',
    ...(taxonomies ? ['feed:', `  posts_limit: ${postsLimit}`, '  categories: true', '  tags: true'] : []), '',
  ].join('\n'));
}

/** Writes `count` posts (and one image per post) into `dir/_posts`, `dir/assets/images`, plus `_config.yml` (categories, tags, latest 50 unless `postsLimit` says otherwise). */
export function generate(dir, count, { postsLimit } = {}) {
  mkdirSync(path.join(dir, '_posts'), { recursive: true });
  mkdirSync(path.join(dir, 'assets', 'images'), { recursive: true });
  writeConfig(dir, { postsLimit: postsLimit ?? 50, taxonomies: true });
  const r = rng(20260201);
  const start = Date.UTC(2000, 0, 1);
  const span = Date.UTC(2026, 9, 1) - start;
  for (let i = 0; i < count; i++) {
    const t = new Date(start + Math.floor((span * i) / count) + Math.floor(r() * 3_600_000));
    const iso = t.toISOString().slice(0, 19);
    const day = iso.slice(0, 10);
    const slug = `story-${i}-${WORDS[i % WORDS.length]}`;
    const cats = [CATEGORIES[i % CATEGORIES.length], ...(i % 5 === 0 ? [CATEGORIES[(i + 3) % CATEGORIES.length]] : [])];
    const tags = Array.from({ length: i % 4 }, (_, j) => TAGS[(i * 7 + j * 3) % TAGS.length]);
    const image = `assets/images/post-${i}.jpg`;
    const text = `---\nlayout: post\ntitle: "${sentence(r, 7).replace(/"/g, '')}"\ndate: ${iso}\nauthor: "reporter${i % 20}"\ncategories: [${cats.join(', ')}]\ntags: [${tags.join(', ')}]\nexcerpt: "${sentence(r, 18)}"\nimage: ${image}\n---\n\n${body(r, i)}\n`;
    writeFileSync(path.join(dir, '_posts', `${day}-${slug}.md`), text);
    const img = path.join(dir, image);
    if (!existsSync(img)) writeFileSync(img, Buffer.alloc(2048 + (i % 4096), i % 251));
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, count] = process.argv.slice(2);
  if (!dir || !count) { console.error('usage: node bench/generate.mjs <dir> <posts>'); process.exit(2); }
  generate(dir, Number(count));
}
