"""Writes the benchmark's request paths from a Tsunagu SQLite database.

search.txt: directory searches (folded text, block, kind, municipality filters, alone and combined).
agency.txt: agency pages, 2,000 ids drawn with a fixed seed.
"""
import random
import sqlite3
import sys

db, out = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
rng = random.Random(2024)
ids = [r[0] for r in con.execute("SELECT id FROM agencies ORDER BY id")]
blocks = [r[0] for r in con.execute("SELECT code FROM blocks")]
munis = [r[0] for r in con.execute("SELECT lg_code FROM municipalities")]
kinds = [r[0] for r in con.execute("SELECT DISTINCT kind FROM agencies")]
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
