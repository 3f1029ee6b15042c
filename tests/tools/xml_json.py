#!/usr/bin/env python3
"""Parse XML files with a strict parser (expat) and print them as JSON trees on stdout.

Usage: xml_json.py FILE.xml...
Prints {"FILE.xml": TREE} where TREE is {"tag": "{namespace}name", "attrs": {...},
"text": str, "children": [TREE...]}, or {"error": "message"} when the file is not
well-formed XML.
"""
import json
import sys
import xml.etree.ElementTree as ET


def tree(el):
    return {
        "tag": el.tag,
        "attrs": dict(el.attrib),
        "text": el.text or "",
        "children": [tree(c) for c in el],
    }


def load(path):
    try:
        return tree(ET.parse(path).getroot())
    except ET.ParseError as e:
        return {"error": str(e)}


print(json.dumps({path: load(path) for path in sys.argv[1:]}))
