/** The format-neutral model. Serializers read these types and nothing else. */

declare const absoluteUrlBrand: unique symbol;
declare const safeHtmlBrand: unique symbol;

/** An absolute RFC 3986 URI (scheme, host, percent-encoded path). Only `toAbsoluteUrl` makes one. */
export type AbsoluteUrl = string & { readonly [absoluteUrlBrand]: true };

/** HTML that has been through the sanitizer and has only absolute URLs. Only `renderContent` makes one. */
export type SafeHtml = string & { readonly [safeHtmlBrand]: true };

/** A person: a post's author or the site's. */
export interface Person {
  readonly name: string;
  readonly email?: string;
  readonly uri?: AbsoluteUrl;
}

/** An image attached to an item: its absolute URL, byte length from the file, MIME type from a table. */
export interface Enclosure {
  readonly url: AbsoluteUrl;
  readonly type: string;
  /** Byte length; absent for a remote image whose length we cannot know (RSS then writes 0, as the spec allows). */
  readonly length?: number;
}

/** One post, validated and rendered: what every feed entry is made from. */
export interface FeedEntry {
  /** Jekyll's post id made absolute (what jekyll-feed writes as the Atom id), or front matter `id`. */
  readonly id: string;
  readonly url: AbsoluteUrl;
  /** Plain text, XML-forbidden characters removed. */
  readonly title: string;
  readonly published: Date;
  readonly updated: Date;
  /** Plain-text summary (the excerpt), if any. */
  readonly summary?: string;
  /** Full sanitized HTML; absent when the site publishes excerpts only (`feed.excerpt_only`). */
  readonly contentHtml?: SafeHtml;
  readonly authors: readonly Person[];
  /** The entry's language (BCP 47), when the post names one. */
  readonly language?: string;
  /** Categories then tags, deduplicated, in front matter order. */
  readonly categories: readonly string[];
  readonly enclosure?: Enclosure;
  /** The source file, relative to the content folder (for diagnostics). */
  readonly sourcePath: string;
}

/** `T` with its fields writable: for an object filled in field by field before it is handed on as `T`. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Which kind of feed a `Feed` is. */
export type FeedKind = 'site' | 'category' | 'tag' | 'archive';

/** One feed: what one rss.xml/atom.xml/feed.json trio carries. */
export interface Feed {
  readonly kind: FeedKind;
  /** Folder of the trio relative to the output folder, POSIX separators, '' for the site feed. */
  readonly dir: string;
  readonly title: string;
  readonly description?: string;
  readonly language?: string;
  readonly homePageUrl: AbsoluteUrl;
  /** Absolute URLs the three files are published at. */
  readonly selfUrls: FeedUrls;
  /** RFC 5005 feed history: links between the current feed and its archive documents. */
  readonly history?: FeedHistory;
  /** The id of the Atom feed: its own absolute URL, as jekyll-feed does. */
  readonly id: string;
  readonly author?: Person;
  /** The newest item's date; absent when the feed is empty. */
  readonly updated?: Date;
  readonly generator: { readonly name: string; readonly uri: string; readonly version: string };
  /** WebSub hubs to advertise (W3C WebSub §4: rel="hub" with rel="self"). */
  readonly hubs: readonly AbsoluteUrl[];
  /** Path of the XSLT stylesheet relative to the feed's folder (for `<?xml-stylesheet?>`), if any. */
  readonly stylesheet?: string;
  /** Newest first, ties broken by id. */
  readonly entries: readonly FeedEntry[];
}

/** The absolute URLs of one feed's three files. */
export interface FeedUrls {
  readonly rss: AbsoluteUrl;
  readonly atom: AbsoluteUrl;
  readonly json: AbsoluteUrl;
}

/** RFC 5005 §4 archived feeds: `archive` marks an archive document (fh:archive); links are per format. */
export interface FeedHistory {
  readonly archive: boolean;
  /** The subscription (current) feed, from an archive document. */
  readonly current?: FeedUrls;
  /** The next older archive document. */
  readonly prev?: FeedUrls;
  /** The next newer archive document. */
  readonly next?: FeedUrls;
}

/** A file to publish, relative to the output folder. */
export interface OutputFile {
  readonly path: string;
  readonly contents: string;
}

/** A post's `image:` after validation: a file inside the content folder, or a remote absolute URL. */
export type ImageRef =
  | { readonly kind: 'local'; /** POSIX path relative to the content folder. */ readonly path: string }
  | { readonly kind: 'remote'; readonly url: AbsoluteUrl };

/** What a local image file is: its byte length, or why it cannot be used. */
export type ImageInfo = { readonly kind: 'file'; readonly length: number } | { readonly kind: 'missing' } | { readonly kind: 'escape' };

/**
 * What the scan keeps of every post: enough to choose which posts go in which feed, order them and
 * check them, and nothing more. The few posts that go in a feed are parsed again in full when rendered.
 */
export type PostRef = Pick<Post, 'sourcePath' | 'displayPath' | 'id' | 'date' | 'updated' | 'published' | 'categories' | 'tags' | 'image' | 'bodyOffset' | 'draft'> & {
  /** `Post.url`'s text: an `AbsoluteUrl` is made only for the posts that go out. */
  readonly url: string;
  /** Whether front matter gives an excerpt (`excerpt` or `description`). */
  readonly hasSummary: boolean;
};

/** A post validated from its file: everything but the rendered content. */
export interface Post {
  /** POSIX path relative to the content folder. */
  readonly sourcePath: string;
  /** The path as the user named it, for diagnostics (`content/_posts/x.md`). */
  readonly displayPath: string;
  readonly id: string;
  readonly url: AbsoluteUrl;
  readonly title: string;
  readonly date: Date;
  readonly updated: Date;
  readonly published: boolean;
  readonly authors: readonly Person[];
  readonly categories: readonly string[];
  readonly tags: readonly string[];
  /** Plain text from front matter `excerpt` or `description`. */
  readonly summary?: string;
  readonly image?: ImageRef;
  /** The post's language (`lang`), a BCP 47 tag: Atom `xml:lang` on the entry, JSON Feed `language`. */
  readonly language?: string;
  /** Rendered as Markdown (a `markdown_ext` file), or Liquid only (`.html` and other posts). */
  readonly markdown: boolean;
  /** `render_with_liquid: false` turns Liquid off for the post. */
  readonly renderWithLiquid: boolean;
  /** Where the generated excerpt ends (`excerpt_separator`, per post or site; '' for none). */
  readonly excerptSeparator: string;
  /** From `_drafts/` (published with `--drafts` / `show_drafts`). */
  readonly draft: boolean;
  /** Byte offset of the body in the post file (after the front matter). */
  readonly bodyOffset: number;
  /** Source of the body; absent when the parse stage was told not to keep it. */
  readonly body?: string;
  /** Front matter with defaults applied (Liquid's `page`); kept with the body. */
  readonly data?: Readonly<Record<string, unknown>>;
  /** The 1-based line of the file on which the body starts (for Liquid's diagnostics); kept with the body. */
  readonly bodyLine?: number;
}
