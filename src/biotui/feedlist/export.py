"""OPML 2.0 written from the configuration's URL feeds: tags as nested folders."""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree import ElementTree

from biotui.model import Feed


def to_opml(feeds: Iterable[Feed], *, title: str = "biotui feeds") -> str:
    """Return an OPML 2.0 document of the URL feeds in ``feeds`` (path feeds are left out).

    A feed's tags become nested folders, one per tag, so that reading the document back
    gives each feed its tags again; its name goes in both ``title`` and ``text``.
    """
    opml = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(opml, "head")
    ElementTree.SubElement(head, "title").text = title
    body = ElementTree.SubElement(opml, "body")
    folders: dict[tuple[str, ...], ElementTree.Element] = {(): body}
    for feed in feeds:
        if feed.url is None:
            continue
        parent = body
        for depth in range(1, len(feed.tags) + 1):
            path = feed.tags[:depth]
            if path not in folders:
                label = path[-1]
                folders[path] = ElementTree.SubElement(parent, "outline", text=label, title=label)
            parent = folders[path]
        ElementTree.SubElement(
            parent, "outline", type="rss", text=feed.name, title=feed.name, xmlUrl=feed.url
        )
    ElementTree.indent(opml)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(opml, "unicode") + "\n"
