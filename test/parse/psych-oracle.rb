# The oracle for test/parse/psych.cases.json: reads YAML exactly as Jekyll 4.3 does and prints the result
# as tagged JSON. Input (stdin): a JSON array of {"name", "kind", "source"}.
#   kind "block":  a front matter block; Jekyll hands Psych its regex's group 1, i.e. "---\n" + block.
#   kind "file":   a whole post file; Jekyll's YAML_FRONT_MATTER_REGEXP splits it first.
#   kind "config": a _config.yml / _data file, given to Psych whole.
# Jekyll::Utils.safe_load_yaml (lib/jekyll/utils.rb, 4.3):
#   Psych.safe_load(yaml, :permitted_classes => [Date, Time], aliases: true)
require 'yaml'
require 'date'
require 'json'

# lib/jekyll/document.rb, Jekyll 4.3.
YAML_FRONT_MATTER_REGEXP = %r!\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)!m.freeze

SAFE_INT = 2**53 - 1

def tag(value, open = {})
  # A collection inside itself (an anchor aliased in its own subtree) is marked, not walked.
  return { 'recursive' => true } if (value.is_a?(Hash) || value.is_a?(Array)) && open[value.object_id]

  case value
  when Hash then within(value, open) { value.map { |k, v| [tag(k, open), tag(v, open)] } }.then { |pairs| { 'map' => pairs } }
  when Array then within(value, open) { value.map { |v| tag(v, open) } }
  when String then value
  when Integer then value.abs <= SAFE_INT ? value : { 'int' => value.to_s }
  when Float
    if value.nan? then { 'float' => 'NaN' }
    elsif value.infinite? then { 'float' => value.positive? ? 'Infinity' : '-Infinity' }
    else value
    end
  when true, false, nil then value
  when Time then { 'time' => value.utc.strftime('%Y-%m-%dT%H:%M:%S.%NZ') }
  when Date then { 'date' => value.strftime('%Y-%m-%d') }
  else { 'other' => value.class.name }
  end
end

def within(value, open)
  open[value.object_id] = true
  yield
ensure
  open.delete(value.object_id)
end

def load(yaml)
  { 'value' => tag(Psych.safe_load(yaml, permitted_classes: [Date, Time], aliases: true)) }
rescue Psych::SyntaxError => e
  { 'error' => 'syntax', 'line' => e.line }
rescue StandardError => e
  # Psych::DisallowedClass, Psych::BadAlias, and what Psych lets escape (a NoMethodError in parse_time):
  # Jekyll's Document#read rescues StandardError and leaves the post without its front matter.
  { 'error' => e.class.name }
end

ENV['TZ'] = 'UTC'
cases = JSON.parse($stdin.read)
out = cases.map do |c|
  source = c['source']
  result =
    case c['kind']
    when 'block' then load("---\n" + source)
    when 'config' then load(source)
    when 'file'
      # Jekyll reads with encoding "bom|utf-8" (Utils.merged_file_read_opts), so a BOM never reaches the regex.
      text = source.sub(/\A\uFEFF/, '')
      m = YAML_FRONT_MATTER_REGEXP.match(text)
      m.nil? ? { 'split' => nil } : { 'split' => { 'matter' => m[1], 'body' => m.post_match } }.merge(load(m[1]))
    else raise "unknown kind #{c['kind']}"
    end
  { 'name' => c['name'], 'kind' => c['kind'], 'source' => source, 'psych' => result }
end
puts JSON.pretty_generate(out)
