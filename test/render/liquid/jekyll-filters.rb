# Runs Jekyll 4.3's own filter module over JSON strings from stdin (oracle for test/render/liquid-filters.test.ts).
require "jekyll"
require "json"
class F
  include Jekyll::Filters
  def initialize; @context = nil; end
end
f = F.new
inputs = JSON.parse($stdin.read)
out = inputs.map do |s|
  r = {}
  %w(default raw pretty ascii latin none).each { |m| r["slugify_#{m}"] = f.slugify(s, m) }
  r["xml_escape"] = f.xml_escape(s)
  r["cgi_escape"] = f.cgi_escape(s)
  r["uri_escape"] = (f.uri_escape(s) rescue "ERROR")
  r["normalize_whitespace"] = f.normalize_whitespace(s)
  r["words"] = [f.number_of_words(s), f.number_of_words(s, "cjk"), f.number_of_words(s, "auto")]
  r["inspect"] = f.inspect(s)
  r["to_integer"] = f.to_integer(s)
  r
end
print JSON.generate(out)
