/** Select stage: which posts go in which feed (site, category, tag), in a stable order. Pure. */
import type { SiteConfig } from '../config.js';
import { warningAt, type Diagnostic } from '../errors.js';
import { slugify } from '../parse/permalink.js';
import { toZonedFields } from '../parse/dates.js';
import type { FeedKind, PostRef } from '../types.js';

/** A feed before rendering: which posts, where. */
export interface FeedPlan {
  readonly kind: FeedKind;
  /** Folder relative to the output folder ('' for the site feed). */
  readonly dir: string;
  /** The category or tag name, for titles. */
  readonly name?: string;
  readonly posts: readonly PostRef[];
}

/** Newest first; ties broken by id (STYLE.md §7), so the order never depends on the file system. */
export function comparePosts(a: PostRef, b: PostRef): number {
  const byDate = b.date.getTime() - a.date.getTime();
  if (byDate !== 0) return byDate;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  // Two posts with one id (Jekyll publishes both): the file path keeps the order stable.
  return a.sourcePath < b.sourcePath ? -1 : a.sourcePath > b.sourcePath ? 1 : 0;
}

/** Posts that are published at `now`: not `published: false` (unless `unpublished`), not future (unless `future`). */
export function isPublished(post: PostRef, config: SiteConfig, now: Date): boolean {
  if (!post.published && !config.unpublished) return false;
  if (!config.future && post.date.getTime() > now.getTime()) return false;
  return true;
}

// Selection asks for the slug of every category and tag of every post (a site has a few dozen names for
// thousands of posts): each name's is made once.
const feedSlugs = new Map<string, string>();

/**
 * The folder slug for a category or tag: Jekyll's default slugify of the NFC form, or a stable fallback when
 * that is empty (`..`, `/`, `!!!`, emoji: hex code points, so no name can leave its folder). Names that
 * differ only in case or Unicode normalization share one folder on purpose: Jekyll's slugify lowercases, a
 * case-insensitive file system (macOS, Windows) or one that normalizes names (APFS) could not keep two such
 * folders apart, and a reader sees one name; `checkFeedNames` warns when it happens.
 */
export function toFeedSlug(name: string): string {
  let slug = feedSlugs.get(name);
  if (slug === undefined) {
    slug = slugify(name.normalize('NFC'));
    if (slug === '') slug = `x${[...name].map((c) => c.codePointAt(0)?.toString(16) ?? '').join('-')}`;
    if (feedSlugs.size > 100_000) feedSlugs.clear();
    feedSlugs.set(name, slug);
  }
  return slug;
}

function limit(posts: readonly PostRef[], n: number): readonly PostRef[] {
  return n === 0 ? posts : posts.slice(0, n);
}

/** Each name's feed slug (`null`: the name gets no feed), made once per name: thousands of posts share a few names. */
function toSlugOf(wanted: (name: string) => boolean): (name: string) => string | null {
  const slugs = new Map<string, string | null>();
  return (name) => {
    let slug = slugs.get(name);
    if (slug === undefined) slugs.set(name, (slug = wanted(name) ? toFeedSlug(name) : null));
    return slug;
  };
}

function groupBy(posts: readonly PostRef[], namesOf: (p: PostRef) => readonly string[], wanted: (name: string) => boolean): Map<string, { name: string; posts: PostRef[] }> {
  const groups = new Map<string, { name: string; posts: PostRef[] }>();
  const slugOf = toSlugOf(wanted);
  // A post's few slugs in an array, not a Set per post.
  const slugsSeen: string[] = [];
  for (const post of posts) {
    slugsSeen.length = 0;
    for (const name of namesOf(post)) {
      const slug = slugOf(name);
      if (slug === null || slugsSeen.includes(slug)) continue;
      slugsSeen.push(slug);
      const group = groups.get(slug);
      if (group === undefined) groups.set(slug, { name, posts: [post] });
      else group.posts.push(post);
    }
  }
  return groups;
}

// Which categories and tags get a feed: `feed.categories` (all, or a list) and `feed.tags` (`only`, `except`).
function wantedNames(config: SiteConfig): { category: (name: string) => boolean; tag: (name: string) => boolean } {
  const lower = (list: readonly string[]): Set<string> => new Set(list.map((s) => s.toLowerCase()));
  const { categories, tags } = config.feed;
  const onlyCategories = categories === true || categories === false ? undefined : lower(categories);
  const onlyTags = tags === true || tags === false || tags.only === undefined ? undefined : lower(tags.only);
  const exceptTags = tags === true || tags === false || tags.except === undefined ? new Set<string>() : lower(tags.except);
  return {
    category: (name) => categories !== false && (onlyCategories === undefined || onlyCategories.has(name.toLowerCase())),
    tag: (name) => tags !== false && (onlyTags === undefined || onlyTags.has(name.toLowerCase())) && !exceptTags.has(name.toLowerCase()),
  };
}

/** Plans every feed: the site feed, then category and tag feeds when enabled, sorted by folder. */
export function selectFeeds(published: readonly PostRef[], config: SiteConfig): FeedPlan[] {
  const sorted = [...published].sort(comparePosts);
  const n = config.feed.postsLimit;
  const plans: FeedPlan[] = [{ kind: 'site', dir: '', posts: limit(sorted, n) }];
  const { categories, tags } = config.feed;
  const wanted = wantedNames(config);
  if (categories !== false) {
    const groups = groupBy(sorted, (p) => p.categories, wanted.category);
    for (const [slug, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      plans.push({ kind: 'category', dir: `categories/${slug}`, name: g.name, posts: limit(g.posts, n) });
    }
  }
  if (tags !== false) {
    const groups = groupBy(sorted, (p) => p.tags, wanted.tag);
    for (const [slug, g] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      plans.push({ kind: 'tag', dir: `tags/${slug}`, name: g.name, posts: limit(g.posts, n) });
    }
  }
  if (config.feed.archive) plans.push(...selectArchives(sorted, plans[0]?.posts ?? [], config.timezone));
  return plans;
}

/**
 * A guess, made while the posts are still being scanned, at which ones the feeds will carry: given posts
 * newest first (as file names date them), it says yes to a published post while some feed it would go in has
 * had fewer than `feed.posts_limit` yeses. The render stage starts on those early (see render/posts.ts,
 * `Speculation`); `selectFeeds` still decides. A post dated out of its file name's order is guessed wrong,
 * which costs its rendering (wasted, or done later), never the output. Without a limit, or with archives,
 * every published post goes out: the guess is then exact, and the render stage bounds how many it holds.
 */
export function likelyInFeeds(config: SiteConfig, now: Date): (post: PostRef) => boolean {
  const n = config.feed.postsLimit;
  if (n === 0 || config.feed.archive) return (post) => isPublished(post, config, now);
  const wanted = wantedNames(config);
  const counts = new Map<string, number>();
  const keysOf = (post: PostRef): string[] => {
    const keys = new Set<string>(['']);
    for (const name of post.categories) if (wanted.category(name)) keys.add(`c/${toFeedSlug(name)}`);
    for (const name of post.tags) if (wanted.tag(name)) keys.add(`t/${toFeedSlug(name)}`);
    return [...keys];
  };
  return (post) => {
    if (!isPublished(post, config, now)) return false;
    const keys = keysOf(post);
    if (!keys.some((key) => (counts.get(key) ?? 0) < n)) return false;
    for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
    return true;
  };
}

/**
 * RFC 5005 archives of the site feed: every published post not in the current site feed, one document
 * per calendar month (in the site's zone), oldest month first. Month boundaries are stable: adding a post
 * changes only the newest archive (the one the oldest current item moves into); correcting or removing an
 * old post changes only its own month. Pages have no size limit: a month of a busy site is one document.
 */
export function selectArchives(sorted: readonly PostRef[], current: readonly PostRef[], timeZone: string): FeedPlan[] {
  const inCurrent = new Set(current.map((p) => p.id));
  const months = new Map<string, PostRef[]>();
  for (const post of sorted) {
    if (inCurrent.has(post.id)) continue;
    const z = toZonedFields(post.date.getTime(), timeZone);
    const key = `${String(z.year).padStart(4, '0')}/${String(z.month).padStart(2, '0')}`;
    const month = months.get(key);
    if (month === undefined) months.set(key, [post]);
    else month.push(post);
  }
  return [...months.keys()].sort().map((key) => ({ kind: 'archive' as const, dir: `archive/${key}`, name: `Archive ${key.replace('/', '-')}`, posts: months.get(key) ?? [] }));
}

/** For each post in any feed (by source path), the indexes of the feeds that hold it; and those posts, newest first. */
export function toMembership(plans: readonly FeedPlan[], published: readonly PostRef[]): { memberOf: Map<string, number[]>; posts: PostRef[] } {
  const memberOf = new Map<string, number[]>();
  plans.forEach((plan, index) => {
    for (const post of plan.posts) {
      const feeds = memberOf.get(post.sourcePath);
      if (feeds === undefined) memberOf.set(post.sourcePath, [index]);
      else feeds.push(index);
    }
  });
  // Every feed is a subsequence of `published`, so the union in that order is newest first too.
  return { memberOf, posts: published.filter((p) => memberOf.has(p.sourcePath)) };
}

/**
 * A warning for every category or tag that shares its feed folder with a differently spelled name (see
 * `toFeedSlug`); `published` newest first, as `selectFeeds` reads it, so the name it reports first titles the feed.
 */
export function checkFeedNames(published: readonly PostRef[], config: SiteConfig): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const wanted = wantedNames(config);
  const check = (kind: 'category' | 'tag', namesOf: (p: PostRef) => readonly string[]): void => {
    const first = new Map<string, string>();
    const reported = new Set<string>();
    const slugOf = toSlugOf(wanted[kind]);
    for (const post of published) {
      for (const name of namesOf(post)) {
        const slug = slugOf(name);
        if (slug === null) continue;
        const seen = first.get(slug);
        if (seen === undefined) first.set(slug, name);
        else if (seen !== name && !reported.has(`${slug}\0${name}`)) {
          reported.add(`${slug}\0${name}`);
          const folder = `${kind === 'category' ? 'categories' : 'tags'}/${slug}`;
          const why = seen.normalize('NFC') === name.normalize('NFC') ? 'the same text in another Unicode normalization form' : seen.toLowerCase() === name.toLowerCase() ? 'they differ only in case' : 'both slugify to one folder name';
          diagnostics.push(warningAt('FEED_NAMES_MERGED', post.displayPath, `${kind} '${name}' shares the feed ${folder} with '${seen}' (${why}), so both go in one feed titled '${seen}'`, `spell the ${kind} one way in every post if they are meant to be one`));
        }
      }
    }
  };
  check('category', (p) => p.categories);
  check('tag', (p) => p.tags);
  return diagnostics;
}

/** jekyll-feed's `excerpt_only` with a post that has no `excerpt`: its first paragraph stands in. */
export function checkExcerpts(posts: readonly PostRef[], config: SiteConfig): Diagnostic[] {
  if (!config.feed.excerptOnly) return [];
  return posts.filter((p) => !p.hasSummary).map((p) => warningAt('EXCERPT_MISSING', p.displayPath, 'has no `excerpt` while feed.excerpt_only is on; its first paragraph is used', 'add an `excerpt:` to the front matter'));
}
