"""Independent reader for the exported plots: stdin is a JSON list of {"path", "box"?}; stdout a JSON list.
SVG: parsed strictly as XML (ElementTree), every <text> string and the element count per tag.
PNG: decoded by Pillow: size, pixels that are not white, and dark pixels inside "box" [x0, y0, x1, y1]."""
import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter

from PIL import Image

SVG = "{http://www.w3.org/2000/svg}"


def svg(path):
    root = ET.parse(path).getroot()
    tags = Counter(el.tag.replace(SVG, "") for el in root.iter())
    texts = ["".join(el.itertext()) for el in root.iter(SVG + "text")]
    return {"root": root.tag.replace(SVG, ""), "texts": texts, "tags": dict(tags)}


def png(path, box):
    im = Image.open(path)
    im.load()
    rgb = im.convert("RGB")
    w, h = rgb.size
    px = rgb.load()
    non_white = sum(1 for y in range(0, h, 2) for x in range(0, w, 2) if px[x, y] != (255, 255, 255))
    dark = None
    if box:
        x0, y0, x1, y1 = box
        dark = sum(1 for y in range(y0, y1) for x in range(x0, x1) if sum(px[x, y]) < 200)
    return {"format": im.format, "mode": im.mode, "width": w, "height": h, "nonWhiteSampled": non_white, "darkInBox": dark}


out = []
for item in json.load(sys.stdin):
    p = item["path"]
    out.append(svg(p) if p.endswith(".svg") else png(p, item.get("box")))
json.dump(out, sys.stdout)
