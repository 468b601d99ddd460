"""Writes the directory benchmark's request paths, read from a running Tsunagu's API (so the same
on either engine).

search.txt: directory searches (folded text, block, kind, municipality filters, alone and combined).
agency.txt: agency pages, 2,000 ids drawn with a fixed seed.
"""
import json
import random
import sys
import urllib.request

base, out = sys.argv[1], sys.argv[2]


def get(path):
    return json.load(urllib.request.urlopen(base + path))


ids, kinds, page = [], set(), 1
while True:
    items = get(f"/api/v1/agencies?page={page}")["items"]
    if not items:
        break
    ids += [i["id"] for i in items]
    kinds |= {i["kind"] for i in items}
    page += 1
ids.sort()
kinds = sorted(kinds)
blocks = sorted(b["code"] for b in get("/api/v1/blocks"))
munis = sorted(m["code"] for m in get("/api/v1/municipalities"))
rng = random.Random(2024)
words = ["ひまわり", "せんたー", "はろーわーく", "さぎょうしょ", "しんじゅく", "はちおうじ", "こうぼう", "わーく", "とうきょう"]

searches = []
for _ in range(2000):
    parts = []
    if rng.random() < 0.5:
        parts.append("q=" + "".join("%%%02X" % b for b in rng.choice(words).encode()))
    if rng.random() < 0.4:
        parts.append("block=" + rng.choice(blocks))
    if rng.random() < 0.4:
        parts.append("kind=" + rng.choice(kinds))
    if rng.random() < 0.2:
        parts.append("municipality=" + rng.choice(munis))
    searches.append("/agencies?" + "&".join(parts))

with open(f"{out}/search.txt", "w") as f:
    f.write("\n".join(searches) + "\n")
with open(f"{out}/agency.txt", "w") as f:
    f.write("\n".join(f"/agencies/{i}" for i in rng.sample(ids, min(2000, len(ids)))) + "\n")
