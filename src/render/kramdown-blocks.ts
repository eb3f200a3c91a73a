/**
 * markdown-it rules for kramdown's block-level behaviour (kramdown 2.4 + kramdown-parser-gfm 1.1): header
 * ids, one-line setext headers, multi-term definition lists, what interrupts a paragraph, block IALs, list
 * item paragraphs and task lists, auto ids, `{:toc}` and block math.
 */
import type { MarkdownIt, StateBlock, StateCore, Token } from 'markdown-it';
import { escapeHtml, HTML_SPAN_ELEMENTS, type RenderEnv } from './kramdown-source.js';

const HEADER_ID = /[\t ]\{#([A-Za-z][\w:-]*)\}$/;

/** kramdown's header id syntax `## Title {#id}` (`HEADER_ID` in parser/kramdown/header.rb). */
export function headerIdRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const inline = tokens[i + 1];
    if (token?.type !== 'heading_open' || inline?.type !== 'inline') continue;
    const m = HEADER_ID.exec(inline.content);
    if (m?.[1] === undefined) continue;
    token.attrSet('id', m[1]);
    inline.content = inline.content.slice(0, m.index).trimEnd();
  }
}

/**
 * kramdown setext headers are one line (parser/kramdown/header.rb SETEXT_HEADER_START): under a longer
 * paragraph the underline is paragraph text (`---` then reads as an em dash).
 */
export function setextRule(state: StateCore): void {
  const tokens = state.tokens;
  const lines = state.src.split('\n');
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    const inline = tokens[i + 1];
    const close = tokens[i + 2];
    if (open?.type !== 'heading_open' || (open.markup !== '=' && open.markup !== '-') || inline === undefined || close === undefined) continue;
    if (!inline.content.includes('\n') || open.map === null) continue;
    inline.content += `\n${(lines[open.map[1] - 1] ?? '').trim()}`;
    for (const [t, type] of [[open, 'paragraph_open'], [close, 'paragraph_close']] as const) {
      t.type = type;
      t.tag = 'p';
      t.markup = '';
      t.attrs = null;
    }
  }
}

/**
 * kramdown definition lists allow several term lines before the `: definition` lines (parser/kramdown/
 * paragraph.rb: DEFINITION_LIST_START ends the paragraph whose lines become the terms); markdown-it-deflist
 * takes one. Such a paragraph becomes `<dl>` here, joined to a list right before it as kramdown joins them.
 */
export function multiTermDeflistRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    const inline = tokens[i + 1];
    if (open?.type !== 'paragraph_open' || inline?.type !== 'inline' || tokens[i + 2]?.type !== 'paragraph_close') continue;
    // A definition line comes after the first line: without a line starting with `:` there, nothing below can match.
    if (!inline.content.includes('\n:')) continue;
    const lines = inline.content.split('\n');
    const firstDef = lines.findIndex((l) => /^:[ \t]/.test(l));
    if (firstDef < 1 || !lines.slice(firstDef).every((l) => /^:[ \t]/.test(l))) continue;
    const level = open.level;
    const made: Token[] = [];
    const push = (type: string, tag: string, nesting: -1 | 0 | 1, lvl: number, content = ''): void => {
      const t = new state.Token(type, tag, nesting);
      t.block = true;
      t.level = lvl;
      t.map = open.map;
      if (type === 'inline') {
        t.content = content;
        t.children = [];
      }
      made.push(t);
    };
    const joined = tokens[i - 1]?.type === 'dl_close' && tokens[i - 1]?.level === level;
    if (!joined) push('dl_open', 'dl', 1, level);
    for (const term of lines.slice(0, firstDef)) {
      push('dt_open', 'dt', 1, level + 1);
      push('inline', '', 0, level + 2, term.trim());
      push('dt_close', 'dt', -1, level + 1);
    }
    for (const def of lines.slice(firstDef)) {
      push('dd_open', 'dd', 1, level + 1);
      push('inline', '', 0, level + 2, def.slice(1).trim());
      push('dd_close', 'dd', -1, level + 1);
    }
    push('dl_close', 'dl', -1, level);
    if (joined) tokens.splice(i - 1, 4, ...made);
    else tokens.splice(i, 3, ...made);
  }
}

type BlockRule = (state: StateBlock, startLine: number, endLine: number, silent: boolean) => boolean;

/**
 * What may interrupt a paragraph differs (kramdown-parser-gfm PARAGRAPH_END_GFM): lists of any number do,
 * block-level HTML tags do but comments and span tags do not, tables never do, and a horizontal rule only
 * when it also reads as a list start (`* * *`).
 */
export function adjustParagraphInterruptions(md: MarkdownIt): void {
  const wrap = (name: string, alt: string[] | undefined, wrapper: (original: BlockRule) => BlockRule): void => {
    // markdown-it has no public way to change which rules a rule may interrupt (`alt`) while keeping its
    // function, so the registered rule is read from the ruler (`__rules__`, typed but marked internal).
    const rule = md.block.ruler.__rules__.find((r) => r.name === name);
    if (rule === undefined) return;
    md.block.ruler.at(name, wrapper(rule.fn as BlockRule), { alt: alt ?? rule.alt });
  };
  const lineAt = (state: StateBlock, line: number): string => state.src.slice(state.bMarks[line] ?? 0, state.eMarks[line] ?? 0);
  const interrupting = (state: StateBlock, silent: boolean): boolean => silent && state.parentType === 'paragraph';
  wrap('table', ['reference'], (original) => original);
  wrap('hr', undefined, (original) => (state, start, end, silent) =>
    interrupting(state, silent) && !/^ {0,3}[*+-][ \t]/.test(lineAt(state, start)) ? false : original(state, start, end, silent));
  wrap('html_block', undefined, (original) => (state, start, end, silent) => {
    const line = lineAt(state, start);
    const tag = /^[ \t]*<\/?([A-Za-z][\w-]*)/.exec(line)?.[1]?.toLowerCase();
    // A span element never starts an HTML block in kramdown: `<img …>` alone on a line is a paragraph.
    if (tag !== undefined && HTML_SPAN_ELEMENTS.has(tag)) return false;
    if (!interrupting(state, silent)) return original(state, start, end, silent);
    // LAZY_END_HTML_START/STOP: only a non-span, non-script tag ends a paragraph (not a comment).
    return tag !== undefined && tag !== 'script' && original(state, start, end, silent);
  });
  wrap('list', undefined, (original) => (state, start, end, silent) => {
    if (!interrupting(state, silent)) return original(state, start, end, silent);
    // markdown-it lets only a list starting at 1 interrupt a paragraph; kramdown's LIST_START has no such rule.
    const parentType = state.parentType;
    state.parentType = 'kramdown_paragraph' as typeof state.parentType;
    try {
      return original(state, start, end, silent);
    } finally {
      state.parentType = parentType;
    }
  });
}

/** A paragraph that is only `$$…$$` is block math, written `\[…\]` without a paragraph. */
export function blockMathRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const inline = tokens[i + 1];
    if (tokens[i]?.type !== 'paragraph_open' || inline?.type !== 'inline' || tokens[i + 2]?.type !== 'paragraph_close') continue;
    const m = /^\$\$([^]*?)\$\$$/.exec(inline.content.trim());
    if (m === null || (m[1] ?? '').includes('$$')) continue;
    const block = new state.Token('html_block', '', 0);
    block.content = `\\[${escapeHtml((m[1] ?? '').trim())}\\]\n`;
    tokens.splice(i, 3, block);
  }
}

/** A standalone block IAL line (`{: .x}`) after a block applies to that block (kramdown `block_ial`). */
export function blockIalRule(state: StateCore): void {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    const inline = tokens[i + 1];
    const close = tokens[i + 2];
    const item = tokens[i - 1];
    if (item?.type === 'list_item_open' && inline?.type === 'inline') {
      // kramdown list.rb: an IAL opening a list item's text (`* {:.done} text`) applies to the `<li>`.
      const m = /^\{:(?!:)([^}\n]*)\}[ \t]+/.exec(inline.content);
      const first = inline.children?.[0];
      if (m !== null && first?.type === 'text') {
        applyIal(item, m[1] ?? '');
        inline.content = inline.content.slice(m[0].length);
        first.content = first.content.replace(/^\{:[^}]*\}[ \t]+/, '');
      }
    }
    if (open?.type !== 'paragraph_open' || inline?.type !== 'inline' || close?.type !== 'paragraph_close') continue;
    const before = /^\{:(?!:)([^}\n]*)\}\n/.exec(inline.content);
    if (before !== null && inline.children !== null) {
      // An IAL line directly before a block's first line applies to that block.
      const br = inline.children.findIndex((t) => t.type === 'softbreak');
      if (br >= 0) {
        inline.children.splice(0, br + 1);
        inline.content = inline.content.slice(before[0].length);
        applyIal(open, before[1] ?? '');
      }
    }
    const m = /^\{:(?!:)([^}]*)\}$/.exec(inline.content.trim());
    if (m === null) continue;
    // The previous block at the same level: walk back over its tokens to its opening token.
    let target: Token | undefined;
    const prev = tokens[i - 1];
    if (prev !== undefined && prev.nesting === -1 && prev.level === open.level) {
      let depth = 0;
      for (let k = i - 1; k >= 0; k--) {
        const t = tokens[k];
        if (t === undefined) break;
        depth += t.nesting;
        if (depth === 0) {
          target = t;
          break;
        }
      }
    } else if (prev !== undefined && prev.nesting === 0 && prev.block && prev.level === open.level) {
      target = prev;
    }
    if (target === undefined) continue;
    applyIal(target, m[1] ?? '');
    tokens.splice(i, 3);
    i -= 1;
  }
}

function applyIal(token: Token, body: string): void {
  for (const m of body.matchAll(/([.#])([\w:-]+)|([\w:-]+)=(?:"([^"]*)"|'([^']*)'|(\S*))/g)) {
    if (m[1] === '.') token.attrJoin('class', m[2] ?? '');
    else if (m[1] === '#') token.attrSet('id', m[2] ?? '');
    else if (m[3] !== undefined) token.attrSet(m[3], m[4] ?? m[5] ?? m[6] ?? '');
  }
}

/** kramdown definition lists (parser/kramdown/list.rb `first_as_para`): a definition after a blank line is a paragraph. */
export function definitionParagraphRule(state: StateCore): void {
  const tokens = state.tokens;
  const lines = state.src.split('\n');
  for (let i = 0; i < tokens.length; i++) {
    const p = tokens[i + 1];
    const pClose = tokens[i + 3];
    if (tokens[i]?.type !== 'dd_open' || p?.type !== 'paragraph_open' || pClose?.type !== 'paragraph_close' || p.map === null) continue;
    if (p.map[0] > 0 && (lines[p.map[0] - 1] ?? '').trim() === '') p.hidden = pClose.hidden = false;
  }
}

/**
 * kramdown's list item paragraphs (parser/kramdown/list.rb): an item's first paragraph is bare ("transparent")
 * unless a blank line follows it inside the item; the last item is bare only if an earlier one is. Ordered
 * lists never carry `start`. GFM task list items get kramdown-parser-gfm's classes and checkbox.
 */
export function listRule(state: StateCore): void {
  const tokens = state.tokens;
  const lines = state.src.split('\n');
  const isBlank = (line: number): boolean => (lines[line] ?? '').trim() === '';
  for (let i = 0; i < tokens.length; i++) {
    const list = tokens[i];
    if (list?.type !== 'bullet_list_open' && list?.type !== 'ordered_list_open') continue;
    list.attrs = (list.attrs ?? []).filter(([name]) => name !== 'start');
    const items: { open: Token; index: number; firstP: Token | undefined; pInline: Token | undefined; pClose: Token | undefined; childCount: number }[] = [];
    let k = i + 1;
    for (; k < tokens.length; k++) {
      const t = tokens[k];
      if (t === undefined || (t.level === list.level && t.nesting === -1)) break;
      if (t.type === 'list_item_open' && t.level === list.level + 1) {
        const firstChild = tokens[k + 1];
        const isP = firstChild?.type === 'paragraph_open';
        let childCount = 0;
        for (let c = k + 1; c < tokens.length; c++) {
          const ct = tokens[c];
          if (ct === undefined || (ct.type === 'list_item_close' && ct.level === t.level)) break;
          if (ct.level === t.level + 1 && ct.nesting !== -1) childCount += 1;
        }
        items.push({ open: t, index: k, firstP: isP ? firstChild : undefined, pInline: isP ? tokens[k + 2] : undefined, pClose: isP ? tokens[k + 3] : undefined, childCount });
      }
    }
    const listEnd = list.map?.[1] ?? 0;
    const transparent: boolean[] = [];
    items.forEach((item, n) => {
      const p = item.firstP;
      if (p === undefined || p.map === null || item.open.map === null) {
        transparent.push(false);
        return;
      }
      const isLast = n === items.length - 1;
      const after = p.map[1];
      // A blank line after the paragraph that is still part of the list (trailing blanks end the list).
      const blankAfter = isBlank(after) && after < (isLast ? listEnd : item.open.map[1]) && !(isLast && item.childCount === 1);
      const earlierBare = items.length === 1 || transparent.slice(0, n).some((b, m) => b || items[m]?.firstP === undefined);
      transparent.push(!blankAfter && (!isLast || earlierBare));
    });
    items.forEach((item, n) => {
      const bare = transparent[n] ?? false;
      for (const t of [item.firstP, item.pClose]) if (t !== undefined) t.hidden = bare;
      for (let c = item.index + 1; c < tokens.length; c++) {
        const ct = tokens[c];
        if (ct === undefined || (ct.type === 'list_item_close' && ct.level === item.open.level)) break;
        if ((ct.type === 'paragraph_open' || ct.type === 'paragraph_close') && ct !== item.firstP && ct !== item.pClose && ct.level === item.open.level + 1) ct.hidden = false;
      }
    });
    // GFM task lists (kramdown-parser-gfm parse_list: `[ ] ` / `[x] ` at the start of an item).
    const tasks = items.filter((item) => item.pInline !== undefined && /^\[[ xX]\][ \t]/.test(item.pInline.content));
    if (list.type === 'bullet_list_open' && tasks.length > 0) {
      list.attrJoin('class', 'task-list');
      for (const item of items) {
        item.open.attrJoin('class', 'task-list-item');
        const first = item.pInline?.children?.[0];
        if (item.pInline === undefined || first?.type !== 'text' || !tasks.includes(item)) continue;
        const checked = /^\[[xX]\]/.test(first.content);
        first.content = first.content.replace(/^\[[ xX]\][ \t]+/, '');
        const box = new state.Token('html_inline', '', 0);
        box.content = `<input type="checkbox" class="task-list-item-checkbox" disabled="disabled"${checked ? ' checked="checked"' : ''} />`;
        item.pInline.children?.unshift(box);
      }
    }
  }
}

/** Header text as kramdown-parser-gfm collects it for ids (`update_raw_text`): text and code, no markup. */
function headerText(inline: Token | undefined): string {
  return (inline?.children ?? [])
    .filter((t) => t.type === 'text' || t.type === 'code_inline')
    .map((t) => (t.meta as { idText?: string } | null)?.idText ?? t.content)
    .join('');
}

// kramdown-parser-gfm NON_WORD_RE = /[^\p{Word}\- \t]/; Ruby's \p{Word} is letters, marks, numbers and
// connector punctuation.
const NON_WORD = /[^\p{L}\p{M}\p{N}\p{Pc}\- \t]/gu;

/** kramdown-parser-gfm `generate_gfm_header_id`: duplicates count up per base id, without collision checks. */
export function autoIdRule(state: StateCore): void {
  const env = state.env as RenderEnv;
  if (!env.autoIds) return;
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== 'heading_open' || token.attrGet('id') !== null) continue;
    const base = headerText(tokens[i + 1]).toLowerCase().replace(NON_WORD, '').replace(/[ \t]/g, '-');
    const count = (env.idCounter.get(base) ?? -1) + 1;
    env.idCounter.set(base, count);
    token.attrSet('id', env.autoIdPrefix + (count > 0 ? `${base}-${count}` : base));
  }
}

/** `{:toc}` on a list replaces it with kramdown's table of contents (converter/html.rb `generate_toc_tree`). */
export function tocRule(tocLevels: readonly number[]) {
  return (state: StateCore): void => {
    const tokens = state.tokens;
    const start = tokens.findIndex((t) => (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') && t.attrGet('toc') !== null);
    const list = tokens[start];
    if (list === undefined) return;
    let end = start + 1;
    while (end < tokens.length && !(tokens[end]?.nesting === -1 && tokens[end]?.level === list.level)) end++;
    const listId = String(list.attrGet('id') ?? 'markdown-toc');
    const entries: { level: number; id: string; html: string }[] = [];
    tokens.forEach((t, n) => {
      const rawId = t.attrGet('id');
      const id = rawId === null ? null : String(rawId);
      const level = Number(t.tag.slice(1));
      if (t.type !== 'heading_open' || id === null || !tocLevels.includes(level)) return;
      if (String(t.attrGet('class') ?? '').split(/\s+/).includes('no_toc')) return;
      // fix_for_toc_entry: footnotes dropped, links reduced to their text.
      const children = (tokens[n + 1]?.children ?? []).filter((c) => c.type !== 'footnote_ref' && c.type !== 'link_open' && c.type !== 'link_close');
      entries.push({ level, id, html: state.md.renderer.renderInline(children, state.md.options, state.env) });
    });
    interface Item { level: number; html: string; children: Item[] }
    const root: Item[] = [];
    const stack: Item[] = [];
    for (const e of entries) {
      const item: Item = { level: e.level, html: `<a href="#${escapeHtml(e.id)}" id="${escapeHtml(`${listId}-${e.id}`)}">${e.html}</a>`, children: [] };
      while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= e.level) stack.pop();
      const parent = stack[stack.length - 1];
      (parent === undefined ? root : parent.children).push(item);
      stack.push(item);
    }
    const tag = list.tag;
    const renderItems = (items: readonly Item[]): string =>
      items.map((item) => `<li>${item.html}${item.children.length > 0 ? `<${tag}>\n${renderItems(item.children)}</${tag}>\n` : ''}</li>\n`).join('');
    const attrs = (list.attrs ?? []).filter(([name]) => name !== 'toc' && name !== 'id');
    const html = `<${tag} id="${escapeHtml(listId)}"${attrs.map(([n, v]) => ` ${n}="${escapeHtml(String(v))}"`).join('')}>\n${renderItems(root)}</${tag}>\n`;
    const block = new state.Token('html_block', '', 0);
    block.content = html;
    tokens.splice(start, end - start + 1, block);
  };
}
