/** Select stage, feed side: the head of every planned feed (titles, URLs, RFC 5005 links). Pure. */
import type { SiteConfig } from '../config.js';
import { resolveUnder } from '../render/urls.js';
import type { FeedHead } from '../serialize/writer.js';
import type { FeedHistory, FeedUrls } from '../types.js';
import { GENERATOR } from '../version.js';
import type { FeedPlan } from './select.js';

/** The browser view of RSS and Atom feeds, written beside the site feeds. */
export const STYLESHEET_FILE = 'feed.xsl';

/** The absolute URLs of the three files of the feed in folder `dir`. */
export function toFeedUrls(config: SiteConfig, dir: string): FeedUrls {
  const folder = dir === '' ? '' : `${dir}/`;
  return { rss: resolveUnder(config.home, `${folder}rss.xml`), atom: resolveUnder(config.home, `${folder}atom.xml`), json: resolveUnder(config.home, `${folder}feed.json`) };
}

// RFC 5005 §4: the site feed links to the newest archive; each archive to its neighbours and the site feed.
function historyOf(plans: readonly FeedPlan[], index: number, config: SiteConfig): FeedHistory | undefined {
  const plan = plans[index];
  const archives = plans.flatMap((p, i) => (p.kind === 'archive' ? [i] : []));
  const urlsAt = (i: number | undefined): FeedUrls | undefined => {
    const dir = i === undefined ? undefined : plans[i]?.dir;
    return dir === undefined ? undefined : toFeedUrls(config, dir);
  };
  if (plan?.kind === 'site') {
    const prev = urlsAt(archives.at(-1));
    return prev === undefined ? undefined : { archive: false, prev };
  }
  if (plan?.kind !== 'archive') return undefined;
  const at = archives.indexOf(index);
  const prev = urlsAt(archives[at - 1]);
  const next = urlsAt(archives[at + 1]);
  return { archive: true, current: toFeedUrls(config, ''), ...(prev === undefined ? {} : { prev }), ...(next === undefined ? {} : { next }) };
}

/** The head of each planned feed, in plan order; `published` excludes posts that will not go out. */
export function toFeedHeads(plans: readonly FeedPlan[], config: SiteConfig, goesOut: (displayPath: string) => boolean): FeedHead[] {
  return plans.map((plan, index) => {
    const history = historyOf(plans, index, config);
    const newest = plan.posts.reduce<Date | undefined>((max, p) => (!goesOut(p.displayPath) || (max !== undefined && p.updated <= max) ? max : p.updated), undefined);
    const urls = toFeedUrls(config, plan.dir);
    return {
      kind: plan.kind,
      dir: plan.dir,
      title: plan.name === undefined ? config.title : `${config.title} | ${plan.name}`,
      ...(config.description === undefined ? {} : { description: config.description }),
      ...(config.lang === undefined ? {} : { language: config.lang }),
      homePageUrl: config.home,
      selfUrls: urls,
      ...(history === undefined ? {} : { history }),
      id: urls.atom,
      ...(config.author === undefined ? {} : { author: config.author }),
      ...(newest === undefined ? {} : { updated: newest }),
      generator: GENERATOR,
      hubs: config.feed.hubs,
      // Relative to the feed's own folder, so the browser view works on any host and under any baseurl.
      stylesheet: `${plan.dir === '' ? '' : '../'.repeat(plan.dir.split('/').length)}${STYLESHEET_FILE}`,
    };
  });
}

/** A copy of a feed's Atom document at the path jekyll-feed published it, so its subscribers keep their URL. */
export interface JekyllAlias {
  /** Index of the feed (its head) in plan order. */
  readonly feed: number;
  /** Path relative to the output folder, e.g. `feed.xml`, `feed/News.xml`, `feed/by_tag/rust.xml`. */
  readonly path: string;
  /** The feed's head as jekyll-feed's document: its own URL as `rel="self"` and as the feed id. */
  readonly head: FeedHead;
}

// jekyll-feed writes tag feeds only for names of "basic alphanumeric characters and underscore".
const JEKYLL_TAG_NAME = /^[a-zA-Z0-9_]+$/;

/**
 * jekyll-feed's paths (lib/jekyll-feed/generator.rb): the site feed at `feed.path` (default `/feed.xml`),
 * a feed per category listed in `feed.categories` at `/feed/<category>.xml`, and with `feed.tags` a feed per
 * tag at `<feed.tags.path><tag>.xml`. Each is the Atom document of the matching feedwright feed; paths that
 * would overwrite one of feedwright's own files, or leave the output folder, are not written.
 */
export function toJekyllAliases(plans: readonly FeedPlan[], heads: readonly FeedHead[], config: SiteConfig, ownFiles: ReadonlySet<string>): JekyllAlias[] {
  const aliases: JekyllAlias[] = [];
  const listed = Array.isArray(config.feed.categories) ? new Set<string>(config.feed.categories) : new Set<string>();
  const tagsPath = config.feed.jekyllTagsPath.replace(/^\/+/, '');
  // Paths already given, case- and normalization-folded: on a case-insensitive file system they are one file.
  const taken = new Set<string>();
  plans.forEach((plan, feed) => {
    let target: string | undefined;
    if (plan.kind === 'site') target = config.feed.jekyllPath.replace(/^\/+/, '');
    // A category with `/` would make a folder below feed/ (where `feed/by_tag/<tag>.xml` could be hit), and a
    // leading `.` a hidden file hosts do not serve: jekyll-feed writes them, feedwright does not.
    else if (plan.kind === 'category' && plan.name !== undefined && listed.has(plan.name) && !/[/\\]|^\./.test(plan.name)) target = `feed/${plan.name}.xml`;
    else if (plan.kind === 'tag' && plan.name !== undefined && JEKYLL_TAG_NAME.test(plan.name)) target = `${tagsPath}${plan.name}.xml`;
    const head = heads[feed];
    if (target === undefined || head === undefined || ownFiles.has(target) || taken.has(target.normalize('NFC').toLowerCase())) return;
    taken.add(target.normalize('NFC').toLowerCase());
    const segments = target.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) return;
    const url = resolveUnder(config.home, segments.map(encodeURIComponent).join('/'));
    aliases.push({ feed, path: target, head: { ...head, selfUrls: { ...head.selfUrls, atom: url }, id: url, stylesheet: `${'../'.repeat(segments.length - 1)}${STYLESHEET_FILE}` } });
  });
  return aliases;
}
