# Reads one feed file with ruby-feedparser (Debian ruby-feedparser, the parser feed2imap uses) and prints
# what it understood as JSON, in the shape test/support/readers.ts compares. It has no item id and no
# updated date; RSS enclosures only.
require 'feedparser'
require 'json'
require 'time'

feed = FeedParser::Feed.new(File.read(ARGV[0], encoding: 'UTF-8'))
items = feed.items.map do |i|
  {
    'link' => i.link.to_s,
    'title' => i.title.to_s,
    'published' => i.date ? i.date.getutc.iso8601 : '',
    'authors' => i.creators.map { |c| { 'name' => c.to_s, 'email' => '' } },
    'categories' => i.categories.map(&:to_s),
    'enclosures' => i.enclosures.map { |url, length, type| { 'url' => url.to_s, 'type' => type.to_s, 'length' => length.to_s } },
  }
end
puts JSON.generate({ 'title' => feed.title.to_s, 'items' => items })
