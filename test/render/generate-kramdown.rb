# Renders test/render/markdown-cases/*.md with kramdown exactly as Jekyll 4.3 runs it (the oracle for
# test/render/markdown.test.ts), and every line of smartify-cases.txt with Jekyll's `smartify` filter.
#
# usage: ruby generate-kramdown.rb CASES_DIR OUT_DIR
#   writes OUT_DIR/<case>.kramdown.html for each CASES_DIR/<case>.md (an optional <case>.config.yml is the
#   part of the site's _config.yml that matters: `kramdown:` and `highlighter:`) and
#   OUT_DIR/smartify.kramdown.json.
require "jekyll"
require "json"
require "yaml"

cases_dir, out_dir = ARGV
abort "usage: ruby generate-kramdown.rb CASES_DIR OUT_DIR" unless cases_dir && out_dir

def site_config(overrides)
  # Jekyll::Configuration.from deep-merges DEFAULTS (lib/jekyll/configuration.rb), as `jekyll build` does.
  Jekyll::Configuration.from(overrides)
end

Dir.glob(File.join(cases_dir, "*.md")).sort.each do |path|
  config_path = path.sub(/\.md\z/, ".config.yml")
  overrides = File.exist?(config_path) ? YAML.safe_load(File.read(config_path)) : {}
  # Jekyll::Converters::Markdown#convert is this parser's convert behind a cache keyed by content alone
  # (which would hand one case's HTML to another with the same text and other options), so call it directly.
  converter = Jekyll::Converters::Markdown::KramdownParser.new(site_config(overrides))
  html = converter.convert(File.read(path, encoding: "UTF-8"))
  File.write(File.join(out_dir, File.basename(path, ".md") + ".kramdown.html"), html)
end

smartify_path = File.join(cases_dir, "smartify-cases.txt")
if File.exist?(smartify_path)
  smarty = Jekyll::Converters::SmartyPants.new(site_config({}))
  pairs = File.read(smartify_path, encoding: "UTF-8").lines.map(&:chomp).reject(&:empty?).map do |line|
    { "input" => line, "output" => smarty.convert(line) }
  end
  File.write(File.join(out_dir, "smartify.kramdown.json"), JSON.pretty_generate(pairs) + "\n")
end
