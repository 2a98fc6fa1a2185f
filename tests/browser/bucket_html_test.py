#!/usr/bin/env python3
"""The HTML bucket report in headless Chromium.

Writes the report of the fixed test campaign (tests/unit/emit/bucket_fixture.hpp), loads it with
`chromium --headless --dump-dom` and checks the DOM after the page's inline script ran: the script
marked the table ready (so the Content Security Policy hash admits it), the rows and their order,
sorting through `#sort=KEY-DIR`, the hostile `<script>` message shown as text and never run (the
title is unchanged, ours is the only script element, no <img> from a hostile file name). Then takes
a screenshot and checks it is a real page: a PNG of the window size, not a blank single colour.

Exit status: 0 pass, 1 fail, 77 skipped (chromium missing; CTest SKIP_RETURN_CODE).
"""
import argparse
import html.parser
import os
import struct
import subprocess
import sys
import tempfile
import zlib

TITLE = "triage: crash buckets"
# make_buckets order of the fixture: severity, then count, then id.
ROWS = ["v1-65a72318f725733c", "v1-a731dbab44de2e04", "v1-8ae8810e988e6f8f", "v1-98ee76bb953a5826"]
HOSTILE_TEXT = "<script>document.title='pwned'</script> | `rm -rf` *bold* [link](x) \"quoted\" & 'single'"
WINDOW = (1280, 1000)

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print(f"FAIL: {what}", file=sys.stderr)


class Dom(html.parser.HTMLParser):
    """What the test needs of a dumped DOM."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = ""
        self.table_attrs = {}
        self.rows = []  # data-bucket of each tbody row, in order
        self.cells = []  # text of each tbody row's cells
        self.scripts = 0
        self.images = 0
        self._stack = []
        self._in_tbody = False
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._stack.append(tag)
        if tag == "script":
            self.scripts += 1
        elif tag == "img":
            self.images += 1
        elif tag == "table" and attrs.get("id") == "buckets":
            self.table_attrs = attrs
        elif tag == "tbody" and self.table_attrs:
            self._in_tbody = True
        elif tag == "tr" and self._in_tbody:
            self.rows.append(attrs.get("data-bucket"))
            self.cells.append([])
        elif tag == "td" and self._in_tbody:
            self._cell = ""

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
        if tag == "tbody":
            self._in_tbody = False
        elif tag == "td" and self._cell is not None:
            self.cells[-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._stack and self._stack[-1] == "title":
            self.title += data
        if self._cell is not None:
            self._cell += data


def chromium(binary, profile, *args):
    cmd = [binary, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-dev-shm-usage",
           f"--user-data-dir={profile}", *args]
    run = subprocess.run(cmd, capture_output=True, timeout=120)
    if run.returncode != 0:
        print(run.stderr.decode(errors="replace"), file=sys.stderr)
    return run


def dump_dom(binary, profile, url):
    run = chromium(binary, profile, "--dump-dom", url)
    check(run.returncode == 0, f"chromium --dump-dom {url} exited {run.returncode}")
    dom = Dom()
    dom.feed(run.stdout.decode("utf-8", errors="replace"))
    return dom


def png_pixels(data):
    """(width, height, rows of pixel tuples) of an 8-bit RGB/RGBA, non-interlaced PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, interlace {interlace}")
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        filt, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            upleft = prev[i - bpp] if i >= bpp else 0
            if filt == 1:
                line[i] = (line[i] + left) & 0xFF
            elif filt == 2:
                line[i] = (line[i] + up) & 0xFF
            elif filt == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif filt == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else upleft)
                line[i] = (line[i] + pred) & 0xFF
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writer", required=True, help="write_bucket_html executable")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    if not (os.path.isfile(args.chromium) and os.access(args.chromium, os.X_OK)):
        print(f"SKIP: no chromium at {args.chromium} (Debian: apt-get install chromium; .ci/install-deps does)")
        return 77

    with tempfile.TemporaryDirectory(prefix="triage-browser-") as tmp:
        page = os.path.join(tmp, "buckets.html")
        subprocess.run([args.writer, page], check=True)
        profile = os.path.join(tmp, "profile")
        url = "file://" + page

        dom = dump_dom(args.chromium, profile, url)
        check(dom.table_attrs.get("data-ready") == "true", f"the inline script did not run: table {dom.table_attrs}")
        check(dom.title == TITLE, f"title is {dom.title!r}: the hostile <script> ran")
        check(dom.scripts == 1, f"{dom.scripts} script elements, expected only the page's own")
        check(dom.images == 0, f"{dom.images} <img> elements from a hostile file name")
        check(dom.rows == ROWS, f"rows {dom.rows}, expected {ROWS}")
        hostile = [cells for cells in dom.cells if len(cells) > 5 and cells[5].startswith("<script>")]
        check(len(hostile) == 1 and hostile[0][5].startswith(HOSTILE_TEXT),
              f"the hostile message is not shown as text: {[c[5] for c in dom.cells if len(c) > 5]}")
        print(f"dom: {len(dom.rows)} rows {dom.rows}, title {dom.title!r}, {dom.scripts} script")

        by_count = dump_dom(args.chromium, profile, url + "#sort=count-asc")
        expected = ["v1-8ae8810e988e6f8f", "v1-98ee76bb953a5826", "v1-65a72318f725733c", "v1-a731dbab44de2e04"]
        check(by_count.rows == expected, f"#sort=count-asc gave {by_count.rows}, expected {expected}")
        check(by_count.table_attrs.get("data-sort-key") == "count", f"sort key {by_count.table_attrs}")
        by_id = dump_dom(args.chromium, profile, url + "#sort=id-asc")
        check(by_id.rows == sorted(ROWS), f"#sort=id-asc gave {by_id.rows}")

        shot = os.path.join(tmp, "buckets.png")
        run = chromium(args.chromium, profile, f"--screenshot={shot}", f"--window-size={WINDOW[0]},{WINDOW[1]}",
                       "--hide-scrollbars", url)
        check(run.returncode == 0 and os.path.isfile(shot), f"no screenshot (chromium exited {run.returncode})")
        if os.path.isfile(shot):
            data = open(shot, "rb").read()
            width, height, rows = png_pixels(data)
            colours = {}
            for row in rows:
                for px in row:
                    colours[px] = colours.get(px, 0) + 1
            background = max(colours.values())
            painted = 1 - background / (width * height)
            print(f"screenshot: {len(data)} bytes, {width}x{height}, {len(colours)} colours, {painted:.1%} painted")
            check(len(data) > 20_000, f"screenshot is only {len(data)} bytes")
            check((width, height) == WINDOW, f"screenshot is {width}x{height}, expected {WINDOW}")
            check(len(colours) >= 16, f"screenshot has {len(colours)} colours: a blank page")
            check(painted > 0.03, f"only {painted:.1%} of the screenshot differs from the background")

    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("pass")
    return 0


if __name__ == "__main__":
    sys.exit(main())
