# Runs Jekyll 4.3's URL filters for a site url/baseurl over JSON inputs (oracle for test/render/liquid-filters.test.ts).
require "jekyll"
require "json"
class F
  include Jekyll::Filters
  def initialize(context); @context = context; end
end
url, baseurl, inputs = JSON.parse($stdin.read)
site = Jekyll::Site.new(Jekyll.configuration("url" => url, "baseurl" => baseurl, "quiet" => true, "source" => Dir.pwd, "destination" => "/tmp/u-out"))
f = F.new(Liquid::Context.new({}, {}, { :site => site }))
print JSON.generate(inputs.map { |i| [(f.relative_url(i) rescue "ERROR"), (f.absolute_url(i) rescue "ERROR")] })
