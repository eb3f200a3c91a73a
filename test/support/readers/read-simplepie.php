<?php
// Reads feed files with SimplePie (Debian libphp-simplepie) and prints what it understood of each, as one
// JSON array in the order of the arguments, in the shape test/support/readers.ts compares. SimplePie returns
// text HTML-escaped for display (its documented contract), so the text is decoded once here. SimplePie 1.3
// predates PHP 8: its deprecation notices go to stderr, not into the JSON.
error_reporting(E_ALL & ~E_DEPRECATED & ~E_NOTICE & ~E_WARNING & ~E_STRICT);
ini_set('display_errors', 'stderr');
require_once '/usr/share/php/simplepie/autoloader.php';

$text = fn ($value) => html_entity_decode((string) $value, ENT_QUOTES | ENT_HTML5, 'UTF-8');
// SimplePie 1.3's date parser calls implode() with PHP 7's argument order and throws a TypeError on PHP 8:
// a date it cannot give is reported as null, and the interop test names that bug.
$stamp = function (callable $read) {
  try {
    $t = $read();
  } catch (TypeError $e) {
    return null;
  }
  return $t === null || $t === false ? '' : gmdate('Y-m-d\TH:i:s\Z', (int) $t);
};

function read_feed(string $path, callable $stamp, callable $text): array {
  $feed = new SimplePie();
  $feed->set_raw_data(file_get_contents($path));
  $feed->enable_cache(false);
  $feed->enable_order_by_date(false);
  if (!$feed->init()) return ['error' => (string) $feed->error()];
  $items = [];
  foreach ($feed->get_items() as $item) {
    $authors = [];
    foreach ($item->get_authors() ?? [] as $a) $authors[] = ['name' => $text($a->get_name()), 'email' => $text($a->get_email())];
    $categories = [];
    foreach ($item->get_categories() ?? [] as $c) $categories[] = $text($c->get_label() ?? $c->get_term());
    $enclosures = [];
    foreach ($item->get_enclosures() ?? [] as $e) {
      if ($e->get_link() === null) continue;
      $enclosures[] = ['url' => $text($e->get_link()), 'type' => (string) $e->get_type(), 'length' => (string) $e->get_length()];
    }
    $items[] = [
      'id' => $text($item->get_id()),
      'link' => $text($item->get_permalink()),
      'title' => $text($item->get_title()),
      'published' => $stamp(fn () => $item->get_date('U')),
      'updated' => $stamp(fn () => $item->get_updated_date('U')),
      'authors' => $authors,
      'categories' => $categories,
      'enclosures' => $enclosures,
    ];
  }
  return ['title' => $text($feed->get_title()), 'items' => $items];
}

echo json_encode(array_map(fn ($path) => read_feed($path, $stamp, $text), array_slice($argv, 1)));
