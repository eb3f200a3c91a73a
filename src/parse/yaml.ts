/** YAML as Jekyll reads it (Ruby's Psych, YAML 1.1), for front matter, `_config.yml` and `_data/`. */
import type { ScalarTag, Tags } from 'yaml';
import { YamlTimestamp, YAML_TIMESTAMP_TEST } from './dates.js';

// Psych's ScalarScanner: /^(yes|true|on)$/i → true, /^(no|false|off)$/i → false. Unlike the YAML 1.1
// type repository, `y`/`n` stay strings: `categories: [X, Y]` must keep its `Y` (it is in the post's URL).
const trueTag: ScalarTag = { tag: 'tag:yaml.org,2002:bool', default: true, test: /^(?:yes|true|on)$/i, resolve: () => true, identify: (v) => v === true };
const falseTag: ScalarTag = { tag: 'tag:yaml.org,2002:bool', default: true, test: /^(?:no|false|off)$/i, resolve: () => false, identify: (v) => v === false };

// Plain timestamps are kept as text so Jekyll's date rules can be applied to them (posts/dates.ts).
const timestampTag: ScalarTag = { tag: 'tag:yaml.org,2002:timestamp', default: true, test: YAML_TIMESTAMP_TEST, resolve: (text: string) => new YamlTimestamp(text) };

const REPLACED = new Set(['tag:yaml.org,2002:bool', 'tag:yaml.org,2002:timestamp']);

/** `customTags` for the `yaml` package: YAML 1.1 with Psych's booleans and timestamps kept as text. */
export function jekyllYamlTags(tags: Tags): Tags {
  return [...tags.filter((t) => typeof t === 'string' || !REPLACED.has(t.tag)), trueTag, falseTag, timestampTag];
}

/** Options for `parseDocument`/`parse` that read YAML as Jekyll does. */
export const JEKYLL_YAML_OPTIONS = { version: '1.1', customTags: jekyllYamlTags, uniqueKeys: true } as const;
