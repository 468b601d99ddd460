#!/usr/bin/env bash
# Memory while the largest import allowed is read: an XLSX of a million rows (about 5 MB, under
# the 10 MiB upload limit) given to `tsunagu import`, which must refuse it for its rows without
# holding the sheet; beside it, a file of the most rows an import takes (50,000). Prints each
# file's size, what the import answered, and the process's peak resident memory.
#
#   bench/import_memory.sh
source "$(dirname "$0")/lib.sh"

# `sheet FILE ROWS` writes an agencies sheet of ROWS rows as a minimal XLSX: shared strings and
# rows without cell references, so that a million rows stay a small file.
sheet() {
  python3 - "$1" "$2" <<'PY'
import sys, zipfile
path, rows = sys.argv[1], int(sys.argv[2])
main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="6" uniqueCount="6">' + "".join(f"<si><t>{t}</t></si>" for t in ["種別", "名称", "ふりがな", "商工機関", "商工会", "しょうこうかい"]) + "</sst>",
}
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name, text in parts.items():
        z.writestr(name, text)
    with z.open("xl/worksheets/sheet1.xml", "w") as f:
        f.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'.encode())
        f.write(b'<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>')
        # Past the most rows an import takes, one cell a row keeps the sheet under the 64 MiB it
        # may inflate to, so that it is its rows the import refuses.
        full = b'<row><c t="s"><v>3</v></c><c t="s"><v>4</v></c><c t="s"><v>5</v></c></row>'
        row = full if rows <= 50000 else b'<row><c t="s"><v>4</v></c></row>'
        for _ in range(rows):
            f.write(row)
        f.write(b"</sheetData></worksheet>")
PY
}

printf '%-28s %10s %12s   %s\n' file "size (MB)" "peak (MiB)" "answer"
for rows in 50000 1000000; do
  file="$data/import-$rows.xlsx"
  [ -f "$file" ] || sheet "$file" "$rows"
  db="$data/import-memory.sqlite3"
  rm -f "$db" "$db-wal" "$db-shm"
  answer=$(/usr/bin/time -f 'PEAK %M' "$bin/tsunagu" import --database "sqlite://$db" "$file" 2>&1 || true)
  peak=$(grep -o 'PEAK [0-9]*' <<<"$answer" | awk '{printf "%.0f", $2 / 1024}')
  said=$(grep -vE 'PEAK|INFO|Command exited' <<<"$answer" | head -1 || true)
  printf '%-28s %10.2f %12s   %s\n' "$rows rows" "$(stat -c %s "$file" | awk '{print $1 / 1e6}')" "$peak" "${said:-imported}"
done
