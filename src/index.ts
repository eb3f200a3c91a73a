/** feedwright's public API: explicit named exports only. Everything else is internal. */
export { build, publish, type BuildOptions, type BuildProgress, type BuildResult, type FeedSummary, type PublishOptions } from './build.js';
export type { ConfigOverrides, FeedConfig, SiteConfig, TagFeeds } from './config.js';
export { DIAGNOSTIC_CODES, FeedwrightError, formatDiagnostic, type Diagnostic, type DiagnosticCode } from './errors.js';
export { renderMarkdown } from './render/markdown.js';
export { renderContent, type SanitizeOptions } from './render/sanitize.js';
export { toAbsoluteUrl } from './render/urls.js';
export { toFeed, type PlainPerson, type PlainPost, type PlainSite } from './select/plain-posts.js';
export { serializeAtom } from './serialize/atom.js';
export { serializeJsonFeed } from './serialize/json-feed.js';
export { serializeRss } from './serialize/rss.js';
export type { AbsoluteUrl, Enclosure, Feed, FeedEntry, FeedHistory, FeedKind, FeedUrls, OutputFile, Person, SafeHtml } from './types.js';
export type { WriteReport } from './write/output.js';
