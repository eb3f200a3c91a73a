/** Builds a golden site with the real Jekyll 4.3 + jekyll-feed 0.17, so tests can compare feedwright with the reference. */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseDocument } from 'yaml';
import { parseFrontMatter } from '../../src/parse/front-matter.js';

const execFileAsync = promisify(execFile);

/** What Jekyll itself knows about one published post (dumped through Liquid, independent of jekyll-feed). */
export interface JekyllPost {
  /** Source file relative to the site root, e.g. `_posts/2026-01-05-x.md`. */
  readonly path: string;
  /** `post.url | absolute_url`: the page's address, what jekyll-feed writes as the alternate link. */
  readonly url: string;
  /** `post.id | absolute_url`: what jekyll-feed writes as the Atom id. */
  readonly id: string;
  /** Jekyll's merged `categories` (from `category`/`categories`), as strings. */
  readonly categories: readonly string[];
  /** Jekyll's merged `tags` (from `tag`/`tags`), as strings. */
  readonly tags: readonly string[];
}

/** The outcome of one Jekyll build. */
export interface JekyllBuild {
  /** The Atom document jekyll-feed wrote for the site's posts. */
  readonly feedXml: string;
  /** Every post Jekyll published, in `site.posts` order (newest first). */
  readonly posts: readonly JekyllPost[];
}

/**
 * Copies a golden `content/` folder to `destDir` and rewrites its `_config.yml` so that Jekyll and feedwright
 * both publish every post: `future: true`, `feed.posts_limit: 100000` (other `feed` keys kept) and
 * `plugins: [jekyll-feed]` (other plugins may not be installed).
 */
export async function copySiteForParity(contentDir: string, destDir: string): Promise<void> {
  await cp(contentDir, destDir, { recursive: true });
  const configPath = join(destDir, '_config.yml');
  const source = await readFile(configPath, 'utf8').catch(() => '');
  // Edit the document in place so every other key keeps its exact YAML spelling.
  const doc = parseDocument(source.trim() === '' ? '{}\n' : source);
  doc.set('future', true);
  const feed: unknown = doc.get('feed');
  if (feed !== null && typeof feed === 'object' && 'set' in feed) {
    doc.setIn(['feed', 'posts_limit'], 100000);
  } else {
    doc.set('feed', doc.createNode({ posts_limit: 100000 }));
  }
  doc.set('plugins', doc.createNode(['jekyll-feed']));
  doc.delete('gems');
  await writeFile(configPath, String(doc));
}

/** A page that dumps Jekyll's own view of every post, so tests can tell jekyll-feed's quirks from Jekyll's model. */
const POSTS_DUMP_NAME = 'feedwright-jekyll-posts.json';
const POSTS_DUMP_PAGE = `---
layout: null
permalink: /${POSTS_DUMP_NAME}
---
[{% for post in site.posts %}{"path":{{ post.relative_path | jsonify }},"url":{{ post.url | absolute_url | jsonify }},"id":{{ post.id | absolute_url | jsonify }},"categories":{{ post.categories | jsonify }},"tags":{{ post.tags | jsonify }}}{% unless forloop.last %},{% endunless %}{% endfor %}]
`;

/**
 * Runs `jekyll build` on a copy of `siteDir` (made in `workDir`, with the posts dump page added, so `siteDir`
 * itself stays byte-identical to what feedwright reads) and returns jekyll-feed's Atom feed and the posts dump.
 */
export async function buildWithJekyll(siteDir: string, workDir: string): Promise<JekyllBuild> {
  const source = join(workDir, 'jekyll-source');
  const destination = join(workDir, 'jekyll-site');
  await mkdir(workDir, { recursive: true });
  await cp(siteDir, source, { recursive: true });
  await writeFile(join(source, POSTS_DUMP_NAME), POSTS_DUMP_PAGE);
  // Only the site feed is compared, and jekyll-feed 0.17 crashes on `feed.categories: true` (NoMethodError
  // `to_set`), so Jekyll's copy goes without per-category and per-tag feeds.
  const configPath = join(source, '_config.yml');
  const doc = parseDocument(await readFile(configPath, 'utf8'));
  doc.deleteIn(['feed', 'categories']);
  doc.deleteIn(['feed', 'tags']);
  await writeFile(configPath, String(doc));
  try {
    // Jekyll sets TZ from the site's `timezone` itself. Not --safe: safe mode loads only whitelisted gem plugins.
    await execFileAsync('jekyll', ['build', '--source', source, '--destination', destination, '--disable-disk-cache', '--quiet'], {
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
      timeout: 90_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`jekyll build failed for ${siteDir}: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: error });
  }
  const config: unknown = parse(await readFile(join(source, '_config.yml'), 'utf8'));
  const feedPath = readFeedPath(config);
  const feedXml = await readFile(join(destination, feedPath), 'utf8');
  const posts = JSON.parse(await readFile(join(destination, POSTS_DUMP_NAME), 'utf8')) as JekyllPost[];
  return {
    feedXml,
    posts: posts.map((p) => ({ ...p, categories: (p.categories ?? []).map(String), tags: (p.tags ?? []).map(String) })),
  };
}

/** Where jekyll-feed writes the posts feed: `feed.path`, default `feed.xml`. */
function readFeedPath(config: unknown): string {
  const feed = (config as { feed?: { path?: unknown } } | null)?.feed;
  const path = typeof feed?.path === 'string' ? feed.path : 'feed.xml';
  return path.replace(/^\/+/, '');
}

/**
 * The post's front matter `id`, if it has one. jekyll-feed ignores it (Liquid's `post.id` is Jekyll's derived
 * id), but DESIGN.md "Identity" lets it override the id, so parity tests expect it from feedwright instead.
 */
export async function readFrontMatterId(siteDir: string, relativePath: string): Promise<string | undefined> {
  const text = await readFile(join(siteDir, relativePath), 'utf8');
  // Front matter as Jekyll reads it (a strict YAML reader refuses shapes Jekyll publishes).
  const front = parseFrontMatter(text.replace(/^\uFEFF/, ''));
  if (front.kind !== 'ok') return undefined;
  const data: unknown = front.data;
  if (data === null || typeof data !== 'object' || !('id' in data)) return undefined;
  const id: unknown = (data as { id: unknown }).id;
  return id === null || id === undefined ? undefined : String(id);
}
