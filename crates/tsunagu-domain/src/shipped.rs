//! The data files shipped with the domain (`data/`, see `data/README.md`): small CSV files of our
//! own, one row a line, no quoted fields, read once into `&'static str` columns so that a code or a
//! name can serve where a static string is wanted (a problem's field).

/// Each row of `csv` after its header, as its columns.
pub(crate) fn rows(csv: &'static str) -> impl Iterator<Item = std::str::Split<'static, char>> {
    csv.lines().skip(1).filter(|l| !l.trim().is_empty()).map(|l| l.split(','))
}
