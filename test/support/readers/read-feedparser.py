"""Reads feed files with Python feedparser (Debian python3-feedparser) and prints what it understood of
each, as one JSON array in the order of the arguments, in the shape test/support/readers.ts compares."""
import calendar
import json
import sys
import time

import feedparser


def stamp(parsed):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(calendar.timegm(parsed))) if parsed else ''


def enclosures(entry):
    found = [link for link in entry.get('links', []) if link.get('rel') == 'enclosure']
    return [{'url': e.get('href', ''), 'type': e.get('type', ''), 'length': str(e.get('length', ''))} for e in found]


def read(path):
    with open(path, 'rb') as f:
        data = f.read()
    d = feedparser.parse(data)
    if d.get('bozo') and not d.entries:
        return {'error': str(d.get('bozo_exception'))}
    items = []
    for e in d.entries:
        items.append({
            'id': e.get('id', ''),
            'link': e.get('link', ''),
            'title': e.get('title', ''),
            'published': stamp(e.get('published_parsed')),
            'updated': stamp(e.get('updated_parsed')),
            'authors': [{'name': a.get('name', ''), 'email': a.get('email', '')} for a in e.get('authors', [])],
            'categories': [t.get('term', '') for t in e.get('tags', [])],
            'enclosures': enclosures(e),
        })
    return {'title': d.feed.get('title', ''), 'items': items}


json.dump([read(path) for path in sys.argv[1:]], sys.stdout)
