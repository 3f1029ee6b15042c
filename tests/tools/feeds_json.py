#!/usr/bin/env python3
"""Parse RSS feeds with feedparser and print a JSON summary on stdout.

Usage: feeds_json.py FEED.xml...
Prints {"FEED.xml": {"bozo": 0|1, "bozo_exception": str, "version": str, "title": str,
"link": str, "language": str, "entries": [{"title", "link", "id", "is_permalink",
"published", "published_epoch", "authors", "tags", "media"}]}}.
`is_permalink` is the raw isPermaLink attribute of the item's <guid> (None when absent),
read with xml.etree because feedparser's own `guidislink` also depends on <link>.
"""
import calendar
import json
import sys
import xml.etree.ElementTree as ET

import feedparser


def guid_attrs(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return []
    out = []
    for item in root.iter("item"):
        guid = item.find("guid")
        out.append(None if guid is None else guid.get("isPermaLink"))
    return out


def summary(path):
    d = feedparser.parse(path)
    permalinks = guid_attrs(path)
    entries = []
    for i, e in enumerate(d.entries):
        parsed = e.get("published_parsed")
        entries.append(
            {
                "title": e.get("title"),
                "link": e.get("link"),
                "id": e.get("id"),
                "is_permalink": permalinks[i] if i < len(permalinks) else None,
                "published": e.get("published"),
                "published_epoch": calendar.timegm(parsed) if parsed else None,
                "authors": [a.get("name") for a in e.get("authors", []) if a.get("name")],
                "tags": [t.get("term") for t in e.get("tags", [])],
                "media": [m.get("url") for m in e.get("media_content", [])],
            }
        )
    return {
        "bozo": 1 if d.get("bozo") else 0,
        "bozo_exception": str(d.get("bozo_exception", "")),
        "version": d.get("version", ""),
        "title": d.feed.get("title"),
        "link": d.feed.get("link"),
        "language": d.feed.get("language"),
        "entries": entries,
    }


print(json.dumps({path: summary(path) for path in sys.argv[1:]}))
