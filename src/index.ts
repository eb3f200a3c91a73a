/** feedwright's public API: explicit named exports only. */
export { build, generate, publish, loadSite, type BuildOptions, type BuildProgress, type BuildResult, type FeedSink, type FeedSummary } from './build.js';
export { run, type CliIo } from './cli.js';
export { loadConfig, parseConfig, type ConfigOverrides, type FeedConfig, type SiteConfig, type TagFeeds } from './config.js';
export { DIAGNOSTIC_CODES, FeedwrightError, formatDiagnostic, type Diagnostic, type DiagnosticCode } from './errors.js';
export { selectFeeds, isPublished, comparePosts, type FeedPlan } from './feed/select.js';
export { toFeedEntry } from './feed/entries.js';
export { toEnclosure, imageMimeType } from './feed/enclosure.js';
export { serializeAtom, atomWriter } from './formats/atom.js';
export { serializeJsonFeed, jsonFeedWriter } from './formats/json-feed.js';
export { serializeRss, rssWriter } from './formats/rss.js';
export { serializeWith, type FormatWriter, type FeedHead } from './formats/writer.js';
export { renderMarkdown } from './html/markdown.js';
export { renderContent, sanitizeContent, ALLOWED_TAGS, ALLOWED_ATTRIBUTES } from './html/sanitize.js';
export { loadPostFiles, loadAuthors, statImages, type SourceFile, type LoadOptions } from './posts/load.js';
export { toPost, type ParseContext, type ParseResult } from './posts/to-post.js';
export { writeOutput, StagedOutput, nodeWriteIo, type WriteIo, type WriteReport } from './fs/write.js';
export type { AbsoluteUrl, Enclosure, Feed, FeedEntry, FeedKind, ImageInfo, ImageRef, OutputFile, Person, Post, SafeHtml } from './types.js';
export { GENERATOR } from './version.js';
