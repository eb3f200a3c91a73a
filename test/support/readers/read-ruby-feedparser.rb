# Reads feed files with ruby-feedparser (Debian ruby-feedparser, the parser feed2imap uses) and prints what
# it understood of each, as one JSON array in the order of the arguments, in the shape
# test/support/readers.ts compares. It has no item id and no updated date; RSS enclosures only.
require 'feedparser'
require 'json'
require 'time'

def read_feed(path)
  feed = FeedParser::Feed.new(File.read(path, encoding: 'UTF-8'))
  items = feed.items.map do |i|
  {
    'link' => i.link.to_s,
    'title' => i.title.to_s,
    'published' => i.date ? i.date.getutc.iso8601 : '',
    'authors' => i.creators.map { |c| { 'name' => c.to_s, 'email' => '' } },
    'categories' => i.categories.map(&:to_s),
    # ruby-feedparser reads <enclosure> in RSS only; an Atom rel="enclosure" link is not an enclosure to it.
    'enclosures' => feed.type == 'atom' ? nil : i.enclosures.map { |url, length, type| { 'url' => url.to_s, 'type' => type.to_s, 'length' => length.to_s } },
  }
end
  { 'title' => feed.title.to_s, 'items' => items }
rescue StandardError => e
  { 'error' => e.message }
end

puts JSON.generate(ARGV.map { |path| read_feed(path) })
