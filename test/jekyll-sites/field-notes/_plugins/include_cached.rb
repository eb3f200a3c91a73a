# frozen_string_literal: true

# A stand-in for the jekyll-include-cache gem, which this machine does not have: the same tag name and the
# same output, without the cache.
Liquid::Template.register_tag("include_cached", Jekyll::Tags::IncludeTag)
