# jekyll-include-cache is not packaged for Debian; its tag renders exactly as Jekyll's include (it only
# caches the output), so this stand-in registers the same tag name on Jekyll's own include tag.
Liquid::Template.register_tag("include_cached", Jekyll::Tags::OptimizedIncludeTag)
