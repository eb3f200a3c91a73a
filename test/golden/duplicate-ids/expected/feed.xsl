<?xml version="1.0" encoding="UTF-8"?>
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  exclude-result-prefixes="atom dc media content">
  <xsl:output method="html" encoding="UTF-8" indent="no" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="normalize-space(rss/channel/title | atom:feed/atom:title)"/>
    <xsl:variable name="self" select="rss/channel/atom:link[@rel='self']/@href | atom:feed/atom:link[@rel='self']/@href"/>
    <xsl:variable name="site" select="rss/channel/link | atom:feed/atom:link[not(@rel) or @rel='alternate']/@href"/>
    <xsl:variable name="kind"><xsl:choose><xsl:when test="atom:feed">Atom</xsl:when><xsl:otherwise>RSS</xsl:otherwise></xsl:choose></xsl:variable>
    <xsl:variable name="lang" select="normalize-space(rss/channel/language | atom:feed/@xml:lang)"/>
    <html>
      <xsl:attribute name="lang"><xsl:choose><xsl:when test="$lang"><xsl:value-of select="$lang"/></xsl:when><xsl:otherwise>en</xsl:otherwise></xsl:choose></xsl:attribute>
      <head>
        <meta charset="UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (<xsl:value-of select="$kind"/> feed)</title>
        <style>
:root { color-scheme: light dark; --fg: #1d1f23; --muted: #5d636e; --bg: #f6f5f2; --card: #fff; --line: #e2dfd8; --accent: #b4460f; --tag: #f1ece4; }
@media (prefers-color-scheme: dark) { :root { --fg: #e8e6e3; --muted: #a3a8b0; --bg: #16181b; --card: #1f2226; --line: #33373d; --accent: #f08a4b; --tag: #2a2e33; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.wrap { max-width: 50rem; margin: 0 auto; padding: 2.5rem 1.25rem 3rem; }
a { color: var(--accent); }
.kind { display: inline-flex; align-items: center; gap: .45rem; margin: 0; font-size: .8rem; font-weight: 600; letter-spacing: .06em; text-transform: uppercase; color: var(--accent); }
.kind svg { width: 1.1rem; height: 1.1rem; }
h1 { margin: .35rem 0 .4rem; font-size: 2.1rem; line-height: 1.2; }
.desc { margin: 0 0 .5rem; color: var(--muted); font-size: 1.05rem; }
.about { margin: 1.75rem 0 2.5rem; padding: 1.25rem 1.4rem; background: var(--card); border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 8px; }
.about h2 { margin: 0 0 .4rem; font-size: 1.1rem; }
.about p { margin: 0 0 .9rem; }
.url { display: flex; gap: .5rem; }
.url input { flex: 1; min-width: 0; padding: .55rem .7rem; font: 15px/1.3 ui-monospace, "SF Mono", Menlo, Consolas, monospace; color: var(--fg); background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
.url button { padding: .55rem 1rem; font: inherit; font-size: .95rem; font-weight: 600; color: var(--bg); background: var(--accent); border: 0; border-radius: 6px; cursor: pointer; }
h2.items { margin: 0 0 1rem; font-size: .85rem; letter-spacing: .06em; text-transform: uppercase; color: var(--muted); }
article { display: flex; gap: 1.25rem; margin: 0 0 1rem; padding: 1.1rem; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
article img { flex: none; align-self: flex-start; width: 12rem; aspect-ratio: 16 / 9; object-fit: cover; border-radius: 5px; background: var(--tag); }
article h3 { margin: 0 0 .2rem; font-size: 1.2rem; line-height: 1.3; }
article h3 a { color: var(--fg); text-decoration: none; }
article h3 a:hover { color: var(--accent); text-decoration: underline; }
.meta { margin: 0 0 .45rem; font-size: .88rem; color: var(--muted); }
.summary { margin: 0 0 .6rem; }
.tags { display: flex; flex-wrap: wrap; gap: .35rem; margin: 0; padding: 0; list-style: none; }
.tags li { padding: .05rem .55rem; font-size: .8rem; color: var(--muted); background: var(--tag); border-radius: 999px; }
footer { margin-top: 2rem; font-size: .85rem; color: var(--muted); }
@media (max-width: 36rem) { article { flex-direction: column; } article img { width: 100%; } h1 { font-size: 1.7rem; } }
        </style>
      </head>
      <body>
        <div class="wrap">
          <header>
            <p class="kind">
              <svg viewBox="0 0 16 16" aria-hidden="true"><rect width="16" height="16" rx="3" fill="currentColor"/><circle cx="4.5" cy="11.5" r="1.5" fill="#fff"/><path d="M3 7a6 6 0 0 1 6 6M3 3.5a9.5 9.5 0 0 1 9.5 9.5" stroke="#fff" stroke-width="1.8" fill="none"/></svg>
              <xsl:value-of select="$kind"/> feed
            </p>
            <h1><xsl:value-of select="$title"/></h1>
            <xsl:if test="normalize-space(rss/channel/description | atom:feed/atom:subtitle)">
              <p class="desc"><xsl:value-of select="normalize-space(rss/channel/description | atom:feed/atom:subtitle)"/></p>
            </xsl:if>
            <xsl:if test="$site">
              <a href="{$site}">Visit the website &#8594;</a>
            </xsl:if>
          </header>
          <section class="about">
            <h2>This is a web feed</h2>
            <p>A feed lets you follow this site without visiting it: a feed reader checks it for you and shows each new item as it is published. To subscribe, copy the address below into your feed reader, such as NetNewsWire, Feedly, Miniflux or newsboat.</p>
            <xsl:if test="$self">
              <div class="url">
                <input id="feed-url" type="text" readonly="readonly" aria-label="Feed URL" value="{$self}" onfocus="this.select()"/>
                <button id="copy" type="button" hidden="hidden">Copy</button>
              </div>
            </xsl:if>
          </section>
          <main>
            <h2 class="items">Latest items (<xsl:value-of select="count(rss/channel/item | atom:feed/atom:entry)"/>)</h2>
            <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
          </main>
          <footer>This page is how the feed looks in a browser; feed readers use the feed itself.</footer>
        </div>
        <script>
          var b = document.getElementById('copy'), f = document.getElementById('feed-url');
          if (b) {
            b.hidden = false;
            b.onclick = function () {
              var done = function () { b.textContent = 'Copied'; };
              f.select();
              if (navigator.clipboard) navigator.clipboard.writeText(f.value).then(done, function () { document.execCommand('copy'); done(); });
              else { document.execCommand('copy'); done(); }
            };
          }
        </script>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="item | atom:entry">
    <xsl:variable name="title" select="normalize-space(title | atom:title)"/>
    <xsl:variable name="link" select="link | atom:link[not(@rel) or @rel='alternate'][1]/@href"/>
    <xsl:variable name="image" select="(enclosure[starts-with(@type, 'image/')]/@url | media:content[@medium='image' or starts-with(@type, 'image/')]/@url | atom:link[@rel='enclosure'][starts-with(@type, 'image/')]/@href)[1]"/>
    <xsl:variable name="date" select="(pubDate | atom:published | atom:updated)[1]"/>
    <article>
      <xsl:if test="$image">
        <img src="{$image}" alt="{$title}" loading="lazy"/>
      </xsl:if>
      <div>
        <h3><xsl:choose>
          <xsl:when test="$link"><a href="{$link}"><xsl:value-of select="$title"/></a></xsl:when>
          <xsl:otherwise><xsl:value-of select="$title"/></xsl:otherwise>
        </xsl:choose></h3>
        <p class="meta">
          <xsl:if test="$date">
            <time title="{normalize-space($date)}"><xsl:if test="atom:published | atom:updated"><xsl:attribute name="datetime"><xsl:value-of select="normalize-space($date)"/></xsl:attribute></xsl:if><xsl:call-template name="date"><xsl:with-param name="d" select="normalize-space($date)"/></xsl:call-template></time>
          </xsl:if>
          <xsl:for-each select="(dc:creator | atom:author/atom:name)[1]">
            <xsl:if test="$date"> &#183; </xsl:if>
            <xsl:value-of select="normalize-space(.)"/>
          </xsl:for-each>
        </p>
        <xsl:if test="normalize-space(description | atom:summary)">
          <p class="summary"><xsl:call-template name="unescape"><xsl:with-param name="s" select="normalize-space(description | atom:summary)"/></xsl:call-template></p>
        </xsl:if>
        <xsl:if test="category | atom:category">
          <ul class="tags">
            <xsl:for-each select="category | atom:category/@term">
              <li><xsl:value-of select="."/></li>
            </xsl:for-each>
          </ul>
        </xsl:if>
      </div>
    </article>
  </xsl:template>

  <!-- "Tue, 10 Nov 2026 07:45:00 +0000" (RSS) and "2026-11-10T07:45:00+00:00" (Atom) both become "10 Nov 2026". -->
  <xsl:template name="date">
    <xsl:param name="d"/>
    <xsl:choose>
      <xsl:when test="contains($d, 'T') and string(number(substring($d, 1, 4))) != 'NaN'">
        <xsl:value-of select="number(substring($d, 9, 2))"/>
        <xsl:text> </xsl:text>
        <xsl:value-of select="substring('JanFebMarAprMayJunJulAugSepOctNovDec', 3 * number(substring($d, 6, 2)) - 2, 3)"/>
        <xsl:text> </xsl:text>
        <xsl:value-of select="substring($d, 1, 4)"/>
      </xsl:when>
      <xsl:when test="contains($d, ':')">
        <xsl:variable name="day"><xsl:choose><xsl:when test="contains($d, ',')"><xsl:value-of select="substring-after($d, ',')"/></xsl:when><xsl:otherwise><xsl:value-of select="$d"/></xsl:otherwise></xsl:choose></xsl:variable>
        <xsl:variable name="s" select="normalize-space(substring-before($day, ':'))"/>
        <xsl:value-of select="concat(number(substring-before($s, ' ')), ' ', substring(substring-after($s, ' '), 1, string-length($s) - string-length(substring-before($s, ' ')) - 4))"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$d"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Summaries are HTML-escaped plain text: turn the entities back into characters, written as text. -->
  <xsl:template name="unescape">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="contains($s, '&amp;')">
        <xsl:value-of select="substring-before($s, '&amp;')"/>
        <xsl:variable name="r" select="substring-after($s, '&amp;')"/>
        <xsl:variable name="n">
          <xsl:choose>
            <xsl:when test="starts-with($r, 'amp;')">4</xsl:when>
            <xsl:when test="starts-with($r, 'lt;') or starts-with($r, 'gt;')">3</xsl:when>
            <xsl:when test="starts-with($r, 'quot;')">5</xsl:when>
            <xsl:when test="starts-with($r, '#39;') or starts-with($r, 'apos;')">4</xsl:when>
            <xsl:otherwise>0</xsl:otherwise>
          </xsl:choose>
        </xsl:variable>
        <xsl:choose>
          <xsl:when test="starts-with($r, 'lt;')">&lt;</xsl:when>
          <xsl:when test="starts-with($r, 'gt;')">&gt;</xsl:when>
          <xsl:when test="starts-with($r, 'quot;')">"</xsl:when>
          <xsl:when test="$n = 4 and not(starts-with($r, 'amp;'))">'</xsl:when>
          <xsl:otherwise>&amp;</xsl:otherwise>
        </xsl:choose>
        <xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($r, $n + 1)"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
