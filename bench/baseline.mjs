// The baseline for `npm run bench`: the plain pipeline a user would write with the design card's packages.
// Usage: node bench/baseline.mjs <content-dir> <out-dir>
// For every post: gray-matter → markdown-it (html: true) → sanitize-html (defaults + img); then sort by
// date (newest first) and write the site's rss.xml, atom.xml and feed.json with `feed` (jpmonette, v6)
// from the newest `feed.posts_limit` posts. Every post is rendered, as a simple pipeline does; only the
// three site feeds are written (no category or tag feeds). Prints one JSON line: { posts, items }.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import matter from 'gray-matter';
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { Feed } from 'feed';

const [contentDir, outDir] = process.argv.slice(2);
if (!contentDir || !outDir) { console.error('usage: node bench/baseline.mjs <content-dir> <out-dir>'); process.exit(2); }

const site = matter(`---\n${readFileSync(path.join(contentDir, '_config.yml'), 'utf8')}\n---\n`).data;
const url = String(site.url).replace(/\/$/, '');
const limit = site.feed?.posts_limit ?? 10;
const md = new MarkdownIt({ html: true });
const sanitizeOptions = { allowedTags: sanitizeHtml.defaults.allowedTags.concat(['img']) };

const postsDir = path.join(contentDir, '_posts');
const files = readdirSync(postsDir, { recursive: true }).filter((f) => /\.(md|markdown)$/.test(f));
const posts = [];
for (const rel of files) {
  const { data, content } = matter(readFileSync(path.join(postsDir, rel), 'utf8'));
  const [, y, m, d, slug] = /(\d{4})-(\d{2})-(\d{2})-(.+)\.(?:md|markdown)$/.exec(path.basename(rel));
  const date = data.date instanceof Date ? data.date : new Date(`${y}-${m}-${d}T00:00:00Z`);
  const categories = [].concat(data.categories ?? []).map(String);
  const tags = [].concat(data.tags ?? []).map(String);
  const day = date.toISOString().slice(0, 10).replaceAll('-', '/');
  const link = `${url}/${categories.map((c) => `${c.toLowerCase()}/`).join('')}${day}/${slug}.html`;
  posts.push({
    title: String(data.title ?? slug),
    id: link,
    link,
    date,
    description: data.excerpt === undefined ? undefined : String(data.excerpt),
    content: sanitizeHtml(md.render(content), sanitizeOptions),
    category: [...categories, ...tags].map((name) => ({ name })),
    image: data.image ? `${url}/${String(data.image).replace(/^\//, '')}` : undefined,
  });
}
posts.sort((a, b) => b.date - a.date);

const items = limit > 0 ? posts.slice(0, limit) : posts;
const feed = new Feed({
  title: String(site.title),
  description: String(site.description ?? ''),
  id: `${url}/`,
  link: `${url}/`,
  language: site.lang,
  updated: items[0]?.date,
  copyright: '',
  feedLinks: { rss: `${url}/rss.xml`, atom: `${url}/atom.xml`, json: `${url}/feed.json` },
  author: typeof site.author === 'object' ? { name: site.author.name, email: site.author.email } : { name: String(site.author ?? '') },
});
for (const item of items) feed.addItem(item);

mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, 'rss.xml'), feed.rss2());
writeFileSync(path.join(outDir, 'atom.xml'), feed.atom1());
writeFileSync(path.join(outDir, 'feed.json'), feed.json1());
console.log(JSON.stringify({ posts: posts.length, items: items.length }));
