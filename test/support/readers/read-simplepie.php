<?php
// Reads one feed file with SimplePie (Debian libphp-simplepie) and prints what it understood as JSON,
// in the shape test/support/readers.ts compares. SimplePie 1.3 predates PHP 8: its deprecation notices
// go to stderr, not into the JSON.
error_reporting(E_ALL & ~E_DEPRECATED & ~E_NOTICE & ~E_WARNING & ~E_STRICT);
ini_set('display_errors', 'stderr');
require_once '/usr/share/php/simplepie/autoloader.php';

$feed = new SimplePie();
$feed->set_raw_data(file_get_contents($argv[1]));
$feed->enable_cache(false);
$feed->enable_order_by_date(false);
if (!$feed->init()) {
  fwrite(STDERR, $feed->error());
  exit(1);
}
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
$items = [];
foreach ($feed->get_items() as $item) {
  $authors = [];
  foreach ($item->get_authors() ?? [] as $a) $authors[] = ['name' => (string) $a->get_name(), 'email' => (string) $a->get_email()];
  $categories = [];
  foreach ($item->get_categories() ?? [] as $c) $categories[] = (string) ($c->get_label() ?? $c->get_term());
  $enclosures = [];
  foreach ($item->get_enclosures() ?? [] as $e) {
    if ($e->get_link() === null) continue;
    $enclosures[] = ['url' => (string) $e->get_link(), 'type' => (string) $e->get_type(), 'length' => (string) $e->get_length()];
  }
  $items[] = [
    'id' => (string) $item->get_id(),
    'link' => (string) $item->get_permalink(),
    'title' => html_entity_decode((string) $item->get_title(), ENT_QUOTES | ENT_HTML5, 'UTF-8'),
    'published' => $stamp(fn () => $item->get_date('U')),
    'updated' => $stamp(fn () => $item->get_updated_date('U')),
    'authors' => $authors,
    'categories' => $categories,
    'enclosures' => $enclosures,
    'summary' => (string) $item->get_description(true),
    'content' => (string) $item->get_content(true),
  ];
}
echo json_encode(['title' => (string) $feed->get_title(), 'items' => $items]);
