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


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.parts = tag, attrs, parent, [], []

    def text(self):
        return "".join(p if isinstance(p, str) else p.text() for p in self.parts)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()

    def find_all(self, tag=None, **attrs):
        """Descendants with this tag (any when None) whose attributes have these values (True: present)."""
        out = []
        for n in self.walk():
            if n is self or (tag is not None and n.tag != tag):
                continue
            if all((k.replace("_", "-") in n.attrs) if v is True else n.attrs.get(k.replace("_", "-")) == v
                   for k, v in attrs.items()):
                out.append(n)
        return out

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None


class Dom(html.parser.HTMLParser):
    """A dumped DOM as a tree, and what the test needs of it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self._at = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self._at)
        self._at.children.append(node)
        self._at.parts.append(node)
        if tag not in VOID:
            self._at = node

    def handle_endtag(self, tag):
        at = self._at
        while at is not self.root and at.tag != tag:
            at = at.parent
        if at is not self.root:
            self._at = at.parent

    def handle_data(self, data):
        self._at.parts.append(data)

    # What the checks read.
    @property
    def title(self):
        t = self.root.find("title")
        return t.text() if t else ""

    @property
    def table_attrs(self):
        t = self.root.find("table", id="buckets")
        return t.attrs if t else {}

    def rows(self, visible_only=False):
        """data-bucket of each bucket-table row, in order (only those not hidden)."""
        t = self.root.find("table", id="buckets")
        body = t.find("tbody") if t else None
        return [r.attrs.get("data-bucket") for r in (body.find_all("tr") if body else [])
                if not (visible_only and "hidden" in r.attrs)]

    def cells(self):
        t = self.root.find("table", id="buckets")
        body = t.find("tbody") if t else None
        return [[c.text() for c in r.children if c.tag == "td"] for r in (body.find_all("tr") if body else [])]

    @property
    def scripts(self):
        return len(self.root.find_all("script"))

    @property
    def images(self):
        return len(self.root.find_all("img"))


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


# (fragment, visible rows in table order)
FILTERS = [
    ("kind=rust-panic", ["v1-8ae8810e988e6f8f", "v1-98ee76bb953a5826"]),
    ("target=fuzz_chipset", ["v1-65a72318f725733c", "v1-a731dbab44de2e04"]),
    ("severity=exploitable", ["v1-65a72318f725733c"]),
    ("status=new", ["v1-65a72318f725733c"]),
    ("status=still-crashing", ["v1-a731dbab44de2e04"]),
    ("q=bcd.h", ["v1-a731dbab44de2e04"]),  # the blamed file, in the section only
    ("q=PACKET%20ata", ["v1-8ae8810e988e6f8f"]),  # every word, any case
    ("kind=rust-panic&q=evil", ["v1-98ee76bb953a5826"]),
    ("q=no-such-thing", []),
]


def check_summary(dom):
    """The counts, the chart and the breakdowns come first."""
    counts = {li.attrs["data-count"]: int(li.find("b").text()) for li in dom.root.find_all("li", data_count=True)}
    expected = {"buckets": 4, "crashes": 7, "artifacts": 9, "new": 1, "fixed": 1, "changed": 1, "no-repro": 1,
                "errors": 1}
    check(counts == expected, f"counts {counts}, expected {expected}")
    bars = [(g.attrs.get("data-kind"), g.find("rect").attrs.get("width"), g.find("rect").attrs.get("class"))
            for g in dom.root.find_all("g", **{"class": "bar"})]
    expected_bars = [("rust-panic", "300", "sev-not-exploitable"), ("abort", "150", "sev-not-exploitable"),
                     ("use-after-free", "150", "sev-exploitable")]
    check(bars == expected_bars, f"chart bars {bars}, expected {expected_bars}")
    targets = {tr.attrs["data-value"]: [td.text() for td in tr.find_all("td")][1:]
               for tr in dom.root.find("table", id="by-target").find_all("tr", data_value=True)}
    expected_targets = {"fuzz_chipset": ["2", "2"], "fuzz_ide_rs": ["2", "2"], "fuzz_rtc": ["1", "2"],
                        "fuzz_uart": ["1", "1"]}
    check(targets == expected_targets, f"per target {targets}, expected {expected_targets}")
    overview = dom.root.find("section", id="overview")
    table = dom.root.find("table", id="buckets")
    order = [n for n in dom.root.walk() if n is overview or n is table]
    check(order and order[0] is overview, "the summary is not above the bucket table")
    print(f"summary: {counts}, {len(bars)} bars, {len(targets)} targets")


def check_sections(dom):
    """Collapsible sections (three open), badges, reproducers, source links, the gone list."""
    details = dom.root.find_all("details", **{"class": "bucket"})
    opened = ["open" in d.attrs for d in details]
    check(opened == [True, True, True, False], f"open sections {opened}, expected the first three")
    first = details[0] if details else None
    check(first is not None and first.find("span", **{"class": "badge new"}) is not None, "no 'new' badge on bucket 1")
    abort = details[1] if len(details) > 1 else None
    badge = abort.find("span", **{"class": "badge status-still-crashing"}) if abort else None
    check(badge is not None and badge.text() == "still-crashing", "no still-crashing badge on the abort bucket")
    reproduce = first.find("pre", **{"class": "reproduce"}) if first else None
    check(reproduce is not None and
          reproduce.text() == "'/src/triage/build/fuzz targets/fuzz_uart' artifacts/fuzz_uart/crash-71c5",
          f"reproduce line {reproduce.text() if reproduce else None!r}")
    lldb = first.find("pre", **{"class": "lldb-file"}) if first else None
    check(lldb is not None and lldb.text().startswith("# triage: lldb command file for artifacts/fuzz_uart/crash-71c5\n")
          and lldb.text().endswith("process kill\nquit\n"), "no lldb command file in bucket 1")
    make = abort.find("pre", **{"class": "lldb-make"}) if abort else None
    check(make is not None and make.text() == "triage script /src/triage/build/bin/fuzz_rtc artifacts/fuzz_rtc/crash-8b51 "
          "-o bucket-2.lldb", f"lldb line of bucket 2 {make.text() if make else None!r}")
    links = [(a.attrs.get("href"), a.text()) for a in dom.root.find_all("a", **{"class": "source"})]
    check(("../devices/uart/uart.cpp", "devices/uart/uart.cpp:141") in links, f"source links {links}")
    check(("../src/%3Cb%3Eevil%3C/b%3E%20%7Cx.rs", "src/<b>evil</b> |x.rs:42") in links, f"source links {links}")
    check(not any("bcd.h" in href for href, _ in links), "a file outside the source root is linked")
    gone = dom.root.find("section", id="gone")
    items = [li.text() for li in gone.find_all("li")] if gone else []
    check(len(items) == 2 and items[0].startswith("fixed v1-00000000000f1xed: null-deref in devices::battery::Battery::<read>"),
          f"gone list {items}")
    print(f"sections: open {opened}, {len(links)} source links, gone {len(items)}")


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
        check(dom.rows() == ROWS, f"rows {dom.rows()}, expected {ROWS}")
        hostile = [cells for cells in dom.cells() if len(cells) > 5 and cells[5].startswith("<script>")]
        check(len(hostile) == 1 and hostile[0][5].startswith(HOSTILE_TEXT),
              f"the hostile message is not shown as text: {[c[5] for c in dom.cells() if len(c) > 5]}")
        print(f"dom: {len(dom.rows())} rows {dom.rows()}, title {dom.title!r}, {dom.scripts} script")
        check_summary(dom)
        check_sections(dom)

        by_count = dump_dom(args.chromium, profile, url + "#sort=count-asc")
        expected = ["v1-8ae8810e988e6f8f", "v1-98ee76bb953a5826", "v1-65a72318f725733c", "v1-a731dbab44de2e04"]
        check(by_count.rows() == expected, f"#sort=count-asc gave {by_count.rows()}, expected {expected}")
        check(by_count.table_attrs.get("data-sort-key") == "count", f"sort key {by_count.table_attrs}")
        by_id = dump_dom(args.chromium, profile, url + "#sort=id-asc")
        check(by_id.rows() == sorted(ROWS), f"#sort=id-asc gave {by_id.rows()}")

        # Filters from the fragment (a filtered view is a link): rows and sections hidden together.
        for fragment, shown in FILTERS:
            view = dump_dom(args.chromium, profile, url + "#" + fragment)
            visible = view.rows(visible_only=True)
            check(visible == shown, f"#{fragment} shows {visible}, expected {shown}")
            check(view.table_attrs.get("data-shown") == str(len(shown)), f"#{fragment}: {view.table_attrs}")
            sections = [d.attrs.get("data-bucket") for d in view.root.find_all("details", **{"class": "bucket"})
                        if "hidden" not in d.attrs]
            check(sorted(sections) == sorted(shown), f"#{fragment} leaves sections {sections}")
            counter = view.root.find(id="shown")
            check(counter is not None and counter.text() == f"{len(shown)} of 4 buckets shown",
                  f"#{fragment}: counter {counter.text() if counter else None!r}")
        print(f"filters: {len(FILTERS)} fragments filter rows and sections")

        # A link to a collapsed section opens it.
        opened = dump_dom(args.chromium, profile, url + "#bucket-4")
        fourth = opened.root.find("details", id="bucket-4")
        check(fourth is not None and "open" in fourth.attrs, "#bucket-4 did not open the collapsed fourth section")

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
