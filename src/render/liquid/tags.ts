/**
 * Jekyll 4.3's Liquid tags (`lib/jekyll/tags/*.rb`, jekyll-include-cache) for liquidjs, and the stand-in for
 * tags of plugins feedwright does not have.
 */
import { Tag, TypeGuards, Value, type Context, type Emitter, type Liquid, type Parser, type TagToken, type Template, type TopLevelToken } from 'liquidjs';
import type { DiagnosticCode } from '../../errors.js';
import { rubyToS } from './ruby.js';

/** A liquidjs tag class (liquidjs does not export its own `TagClass` type). */
export type TagClass = new (token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid, parser: Parser) => Tag;

/** An error a tag raises on purpose; `code` picks the diagnostic code. */
export class LiquidTagError extends Error {
  constructor(
    message: string,
    readonly code: DiagnosticCode = 'LIQUID_ERROR',
    options?: { cause?: unknown },
    /** Passed up through enclosing includes as it is (its message already says where). */
    readonly final = false,
  ) {
    super(message, options);
    this.name = 'LiquidTagError';
  }
}

/** What the tags need from the site and from the render in progress. */
export interface TagSite {
  /** Jekyll's `includes_dir`, relative to the content root (default `_includes`). */
  readonly includesDir: string;
  /** True under `liquid.error_mode: strict`: an unknown tag is an error, not a warning. */
  readonly strictUnknownTags: boolean;
  /** The source path (relative to the content root) of the post being rendered. */
  currentPagePath(): string;
  /** Parses an include file (relative to the content root), cached; throws LiquidTagError when it cannot be read. */
  loadPartial(relativePath: string): Template[];
  /** `{% link %}`: the URL (before `relative_url`) of the file at `relativePath`, or undefined when none. */
  linkUrl(relativePath: string): string | undefined;
  /** `{% post_url %}`: the URL (before `relative_url`) of the post named, or undefined when none. */
  postUrl(name: PostName): string | undefined;
  /** Jekyll's `relative_url`. */
  relativeUrl(url: string): string;
  /** Reports a tag feedwright does not know (once per tag occurrence and render). */
  reportUnknownTag(token: TagToken): void;
}

/** A `{% post_url %}` name split as Jekyll's `PostComparer` does. */
export interface PostName {
  readonly path: string;
  readonly date: string;
  readonly slug: string;
}

// jekyll/tags/post_url.rb PostComparer::MATCHER
const POST_NAME = /^(.+\/)*(\d+-\d+-\d+)-(.*)$/;

/** Splits a `post_url` argument; undefined when it has no date and slug (Jekyll's PostURLError). */
export function parsePostName(name: string): PostName | undefined {
  const m = POST_NAME.exec(name.replace(/^\//, ''));
  if (m === null) return undefined;
  // Ruby's `(.+/)*` keeps only the last repetition; the greedy `.+` makes that the whole prefix.
  return { path: m[1] ?? '', date: m[2] ?? '', slug: m[3] ?? '' };
}

// jekyll/tags/include.rb
const VALID_PARAM = /([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))/g;
const VARIABLE_FILE = /(?<variable>[^{]*(?:\{\{\s*[\w\-.]+\s*(?:\|.*)?\}\}[^\s{}]*)+)(?<params>.*)/s;
const FULL_VALID_PARAMS = /^\s*(?:([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))(?=\s|$)\s*)*$/;
const VALID_FILENAME_CHARS = /^[\w/.\-()+~#@]+$/;
const INVALID_SEQUENCES = /[./]{2,}/;

/** The message of an error without liquidjs's `, line:N, col:M` suffix. */
export function bareMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/, (?:file:.*?, )?line:\d+, col:\d+$/s, '');
}

/** The line (1-based) of a liquidjs error's token in its own template. */
function errorLine(error: unknown): number | undefined {
  const token = (error as { token?: { getPosition?: () => number[] } }).token;
  return token?.getPosition?.()[0];
}

/** The first feedwright code found along an error's causes, if any. */
export function codeOf(error: unknown): DiagnosticCode | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 20; depth++) {
    if (e instanceof LiquidTagError) return e.code;
    if (/limit exceeded/.test(bareMessage(e))) return 'LIQUID_LIMIT';
    const next = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
    e = next;
  }
  return undefined;
}

/** Liquid's `Block::MAX_DEPTH`. */
const MAX_INCLUDE_DEPTH = 100;

/** The `final` LiquidTagError along an error's causes, if any. */
function finalError(error: unknown): LiquidTagError | undefined {
  for (let e: unknown = error, n = 0; e !== undefined && e !== null && n < 20; n++) {
    if (e instanceof LiquidTagError && e.final) return e;
    e = (e as { originalError?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Makes Jekyll's tags for one site. */
export function createJekyllTags(site: TagSite): Record<string, TagClass> {
  // Include nesting of the render in progress (rendering is synchronous, one post at a time).
  let depth = 0;
  class IncludeTag extends Tag {
    private readonly file: string;
    private readonly fileIsTemplate: boolean;
    private readonly params: string | undefined;
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid);
      const markup = token.args.trim();
      const matched = VARIABLE_FILE.exec(markup);
      if (matched?.groups !== undefined) {
        this.file = (matched.groups['variable'] ?? '').trim();
        this.fileIsTemplate = true;
        this.params = (matched.groups['params'] ?? '').trim();
      } else {
        const split = /^(\S*)(?:\s+([\s\S]*))?$/.exec(markup);
        this.file = split?.[1] ?? '';
        this.fileIsTemplate = false;
        this.params = split?.[2];
      }
      if (this.params !== undefined && !FULL_VALID_PARAMS.test(this.params)) {
        throw new Error(`Invalid syntax for include tag: ${this.params} (valid syntax: {% ${token.name} file.ext param='value' param2='value' %})`);
      }
    }

    /** The folder (relative to the content root) this tag looks in. */
    protected folder(): string {
      return site.includesDir;
    }

    *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
      const file = this.fileIsTemplate ? rubyToS(yield this.liquid.renderer.renderTemplates(this.liquid.parse(this.file), ctx)) : this.file;
      if (INVALID_SEQUENCES.test(file) || !VALID_FILENAME_CHARS.test(file)) {
        throw new LiquidTagError(`Invalid syntax for include tag. File contains invalid characters or sequences: ${file}`, /(?:^|\/)\.\.(?:\/|$)/.test(file) ? 'PATH_ESCAPE' : 'LIQUID_ERROR');
      }
      const folder = this.folder();
      const relativePath = [folder, file].filter((p) => p !== '').join('/').replace(/\/{2,}/g, '/');
      // Liquid's MAX_DEPTH: an include that includes itself stops here rather than exhausting the stack.
      if (depth >= MAX_INCLUDE_DEPTH) throw new LiquidTagError(`Nesting too deep: includes more than ${MAX_INCLUDE_DEPTH} levels deep (at ${relativePath})`, 'LIQUID_LIMIT', undefined, true);
      const templates = site.loadPartial(relativePath);
      let scope: Record<string, unknown> | undefined;
      if (this.params !== undefined) {
        scope = {};
        for (const m of this.params.matchAll(VALID_PARAM)) {
          const [, key = '', double, single, variable] = m;
          if (double !== undefined) scope[key] = double.replace(/\\"/g, '"');
          else if (single !== undefined) scope[key] = single.replace(/\\'/g, "'");
          else if (variable !== undefined) scope[key] = yield new Value(variable, this.liquid).value(ctx);
        }
      }
      // Jekyll sets `include` only when the tag has parameters; otherwise an outer include's stay visible.
      ctx.push(scope === undefined ? {} : { include: scope });
      depth++;
      try {
        yield this.liquid.renderer.renderTemplates(templates, ctx, emitter);
      } catch (error) {
        const final = finalError(error);
        if (final !== undefined) throw new LiquidTagError(final.message, final.code, { cause: error }, true);
        const line = errorLine(error);
        throw new LiquidTagError(`in ${relativePath}${line === undefined ? '' : ` line ${line}`}: ${bareMessage(error)}`, codeOf(error) ?? 'LIQUID_ERROR', { cause: error });
      } finally {
        depth--;
        ctx.pop();
      }
    }
  }

  class IncludeRelativeTag extends IncludeTag {
    protected override folder(): string {
      const path = site.currentPagePath();
      const slash = path.lastIndexOf('/');
      return slash === -1 ? '' : path.slice(0, slash);
    }
  }

  class HighlightTag extends Tag {
    private readonly lang: string;
    private readonly linenos: boolean;
    private readonly templates: Template[] = [];
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid, parser: Parser) {
      super(token, remain, liquid);
      // jekyll/tags/highlight.rb SYNTAX and OPTIONS_REGEX.
      const m = /^([a-zA-Z0-9.+#_-]+)((\s+\w+(=(\w+|"([0-9]+\s)*[0-9]+"))?)*)$/.exec(token.args.trim());
      if (m === null) throw new Error(`Syntax Error in tag 'highlight' while parsing the following markup: ${token.args.trim()} (valid syntax: highlight <lang> [linenos])`);
      this.lang = (m[1] ?? '').toLowerCase();
      const options = new Set([...(m[2] ?? '').matchAll(/(?:\w="[^"]*"|\w=\w|\w)+/g)].map((o) => (o[0].split('=')[0] ?? '')));
      // Jekyll 4.3 accepts `mark_lines="1 2"` (and any other option) but its Rouge call uses only `linenos`.
      this.linenos = options.has('linenos');
      while (remain.length > 0) {
        const next = remain.shift();
        if (next === undefined) break;
        if (TypeGuards.isTagToken(next) && next.name === 'endhighlight') return;
        this.templates.push(parser.parseToken(next, remain));
      }
      throw new Error(`tag ${token.getText()} not closed`);
    }

    *render(ctx: Context): Generator<unknown, string, unknown> {
      const body = rubyToS(yield this.liquid.renderer.renderTemplates(this.templates, ctx));
      const code = body.replace(/^[\n\r]+|[\n\r]+$/g, '');
      // Rouge would tokenize into <span class="..."> runs; feedwright does not highlight: the code is escaped
      // text (Rouge's escaping: & < > only), which is what Rouge's plain-text lexer gives.
      const escaped = code.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      let inner = escaped;
      if (this.linenos) {
        const lines = code === '' ? 0 : code.split('\n').length;
        const gutter = Array.from({ length: lines }, (_, i) => `${i + 1}\n`).join('');
        inner = `<table class="rouge-table"><tbody><tr><td class="gutter gl"><pre class="lineno">${gutter}</pre></td><td class="code"><pre>${escaped}\n</pre></td></tr></tbody></table>`;
      }
      return `<figure class="highlight"><pre><code class="language-${this.lang.replace(/\+/g, '-')}" data-lang="${this.lang}">${inner}</code></pre></figure>`;
    }
  }

  class LinkTag extends Tag {
    private readonly templates: Template[];
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid);
      this.templates = liquid.parse(token.args.trim());
    }

    *render(ctx: Context): Generator<unknown, string, unknown> {
      const path = rubyToS(yield this.liquid.renderer.renderTemplates(this.templates, ctx));
      const url = site.linkUrl(path.replace(/^\//, ''));
      if (url === undefined) throw new LiquidTagError(`Could not find document '${path}' in tag 'link'. Make sure the document exists and the path is correct.`);
      return site.relativeUrl(url);
    }
  }

  class PostUrlTag extends Tag {
    private readonly original: string;
    private readonly post: PostName;
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid);
      this.original = token.args.trim();
      const post = parsePostName(this.original);
      if (post === undefined) throw new Error(`Could not parse name of post "${this.original}" in tag 'post_url'. Make sure the post exists and the name is correct.`);
      this.post = post;
    }

    render(): string {
      const url = site.postUrl(this.post);
      if (url === undefined) throw new LiquidTagError(`Could not find post "${this.original}" in tag 'post_url'. Make sure the post exists and the name is correct.`);
      return site.relativeUrl(url);
    }
  }

  return {
    include: IncludeTag,
    include_cached: IncludeTag,
    include_relative: IncludeRelativeTag,
    highlight: HighlightTag,
    link: LinkTag,
    post_url: PostUrlTag,
  };
}

/**
 * The stand-in for a tag no registered code knows (a plugin's `{% youtube id %}`): it renders nothing and
 * is reported. When `{% end<name> %}` follows in the same template it is taken as a block, and its body,
 * up to the matching end tag (same-name blocks nest), is left out with it.
 */
export function createUnknownTag(site: TagSite): TagClass {
  return class UnknownTag extends Tag {
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid);
      if (site.strictUnknownTags) throw new LiquidTagError(`Unknown tag '${token.name}'`, 'LIQUID_TAG_UNKNOWN');
      const name = token.name;
      let depth = 0;
      let end = -1;
      for (let i = 0; i < remain.length; i++) {
        const t = remain[i];
        if (!TypeGuards.isTagToken(t)) continue;
        const tagName = t.name;
        if (tagName === name) depth++;
        else if (tagName === `end${name}`) {
          if (depth === 0) {
            end = i;
            break;
          }
          depth--;
        }
      }
      if (end !== -1) remain.splice(0, end + 1);
    }

    render(): string {
      site.reportUnknownTag(this.token);
      return '';
    }
  };
}
