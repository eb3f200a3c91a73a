# Renders test/render/markdown-cases/*.md with kramdown exactly as Jekyll 4.3 runs it (the oracle for
# test/render/markdown.test.ts), and every line of smartify-cases.txt with Jekyll's `smartify` filter.
#
# usage: ruby generate-kramdown.rb CASES_DIR OUT_DIR
#   writes OUT_DIR/<case>.kramdown.html for each CASES_DIR/<case>.md (an optional <case>.config.yml holds
#   the site's `kramdown:` hash) and OUT_DIR/smartify.kramdown.json.
require "jekyll"
require "json"
require "yaml"

cases_dir, out_dir = ARGV
abort "usage: ruby generate-kramdown.rb CASES_DIR OUT_DIR" unless cases_dir && out_dir

def site_config(kramdown)
  # Jekyll::Configuration.from deep-merges DEFAULTS (lib/jekyll/configuration.rb), as `jekyll build` does.
  Jekyll::Configuration.from("kramdown" => kramdown)
end

Dir.glob(File.join(cases_dir, "*.md")).sort.each do |path|
  config_path = path.sub(/\.md\z/, ".config.yml")
  kramdown = File.exist?(config_path) ? YAML.safe_load(File.read(config_path)) : {}
  converter = Jekyll::Converters::Markdown.new(site_config(kramdown))
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
