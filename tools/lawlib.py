#!/usr/bin/env python3
"""Builds the law library (SPEC §5.1a) that powerlist embeds: data/lawlib/.

    tools/lawlib.py PATH/TO/Laws            # a checkout (or copy) of LawRefBook/Laws
    tools/lawlib.py PATH --commit HEX       # name the commit when PATH is not a git checkout

Reads PATH/db.sqlite3 (one row per text: name, level, 公布 and 施行 dates,
expired) and the Markdown file of each text, keeps the 宪法, 法律, 行政法规 and
部门规章, and writes
  data/lawlib/index.tsv  one line per text: its facts and where its text lies
  data/lawlib/texts.bin  each law's texts (all its versions), raw-deflated one law at a time
The output depends only on the input: same copy, byte-identical files.
Only the Python standard library is needed.
"""

import argparse
import glob
import os
import re
import sqlite3
import subprocess
import sys
import zlib

LEVELS = ("宪法", "法律", "行政法规", "部门规章")
DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(s):
    """一千二百六十 → 1260; None when not a Chinese numeral."""
    total, digit = 0, None
    for c in s:
        if c in DIGITS:
            digit = DIGITS[c]
        elif c in UNITS:
            total += (1 if digit is None else digit) * UNITS[c]
            digit = None
        else:
            return None
    return total + (digit or 0)


def first_article(text):
    m = re.search(r"^第([零一二三四五六七八九十百千]+)条", text, re.M)
    return chinese_number(m.group(1)) if m else 0


def without_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


def title_of(text, fallback):
    for line in text.splitlines():
        if line.startswith("# "):
            return re.sub(r"\s*<!--.*?-->\s*", "", line[2:]).strip()
    return fallback


def file_of(root, folder, name, publish, filename):
    """The Markdown file of one row: named in the row, or `name(publish).md`, or `name.md`."""
    tried = []
    if filename:
        tried.append(filename if filename.endswith(".md") else filename + ".md")
    if publish:
        tried.append(f"{name}({publish}).md")
    tried.append(f"{name}.md")
    for t in tried:
        p = os.path.join(root, folder, t)
        if os.path.isfile(p):
            return p
    # A few rows name another branch's folder than the one their file is in.
    for t in tried:
        found = sorted(glob.glob(os.path.join(glob.escape(root), "*", glob.escape(t))))
        if found:
            return found[0]
    return None


def commit_of(root, given):
    if given:
        return given
    try:
        out = subprocess.run(
            ["git", "-C", root, "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        )
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    try:
        with open(os.path.join(root, "SOURCE.md"), encoding="utf-8") as f:
            m = re.search(r"commit ([0-9a-f]{40})", f.read())
            if m:
                return m.group(1)
    except OSError:
        pass
    sys.exit("lawlib: cannot tell the commit of the copy; pass --commit HEX")


def clean(s):
    return (s or "").replace("\t", " ").replace("\n", " ").strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("laws", help="a checkout of LawRefBook/Laws (db.sqlite3 and the Markdown folders)")
    ap.add_argument("--commit", help="the commit the copy was taken from")
    ap.add_argument(
        "--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "lawlib")
    )
    args = ap.parse_args()
    root = args.laws
    db = sqlite3.connect(os.path.join(root, "db.sqlite3"))
    rows = db.execute(
        "SELECT l.name, l.level, l.publish, l.valid_from, l.expired, l.filename, c.folder "
        "FROM law l JOIN category c ON c.id = l.category_id "
        f"WHERE l.level IN ({','.join('?' * len(LEVELS))})",
        LEVELS,
    ).fetchall()

    # name → version key → [(first article, text)] (a law split into parts, like 民法典's 编, has several)
    laws = {}
    facts = {}
    missing = []
    for name, level, publish, valid_from, expired, filename, folder in rows:
        path = file_of(root, folder, name, publish, filename)
        if path is None:
            missing.append(f"{folder}/{name} ({publish})")
            continue
        with open(path, encoding="utf-8") as f:
            text = without_front_matter(f.read().replace("\r\n", "\n"))
        base = name.split(" ")[0]  # 民法典 合同编 → 民法典
        version = (publish or "", valid_from or "", level, int(expired))
        parts = laws.setdefault(base, {}).setdefault(version, [])
        if any(t == text for _, _, t in parts):
            continue
        parts.append((first_article(text), path, text))
        facts[(base, version)] = title_of(text, base)

    index = []
    blob = bytearray()
    snapshot = ""
    for name in sorted(laws):
        joined = bytearray()
        spans = []
        for version in sorted(laws[name]):
            parts = sorted(laws[name][version], key=lambda p: (p[0], p[1]))
            text = "\n".join(t.rstrip("\n") + "\n" for _, _, t in parts).encode("utf-8")
            spans.append((version, len(joined), len(joined) + len(text)))
            joined += text
            snapshot = max(snapshot, version[0])
        c = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
        packed = c.compress(bytes(joined)) + c.flush()
        for (publish, valid_from, level, expired), start, end in spans:
            title = facts[(name, (publish, valid_from, level, expired))]
            index.append(
                "\t".join(
                    [clean(name), clean(title), level, publish, valid_from, str(expired),
                     str(len(blob)), str(len(packed)), str(start), str(end)]
                )
            )
        blob += packed

    os.makedirs(args.out, exist_ok=True)
    head = [
        "# powerlist law library (SPEC §5.1a), built by tools/lawlib.py — do not edit by hand",
        f"# source\tLawRefBook/Laws {commit_of(root, args.commit)} (国家法律法规数据库 texts)",
        f"# snapshot\t{snapshot}",
        "# name\ttitle\tlevel\tpublish\tvalid_from\texpired\tblob_offset\tblob_len\tstart\tend",
    ]
    with open(os.path.join(args.out, "index.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(head + index) + "\n")
    with open(os.path.join(args.out, "texts.bin"), "wb") as f:
        f.write(blob)
    print(f"lawlib: {len(index)} texts of {len(laws)} laws, {len(blob)} bytes; snapshot {snapshot}")
    for m in missing:
        print(f"lawlib: no file for {m}", file=sys.stderr)


if __name__ == "__main__":
    main()
