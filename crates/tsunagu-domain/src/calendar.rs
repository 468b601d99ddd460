//! Dates as Japanese offices write and read them: the era (和暦) beside the year, ages, and dates
//! typed as 2001-04-02, 2001/4/2, 2001年4月2日 or 平成13年4月2日.
//!
//! The eras are five rows of public fact (the day each began), so they are a table here rather
//! than a dependency; a date before 明治 has no era here (a person's birth date is 1900 or later).

use time::{Date, Month};
use unicode_normalization::UnicodeNormalization;

/// An era (元号).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Era {
    /// 令和.
    pub name: &'static str,
    /// Reiwa.
    pub romaji: &'static str,
    /// R, as forms abbreviate it.
    pub initial: char,
    /// The first day of its first year.
    pub starts: Date,
}

/// The eras since 1868, oldest first.
pub const ERAS: [Era; 5] = [
    Era { name: "明治", romaji: "Meiji", initial: 'M', starts: time::macros::date!(1868 - 10 - 23) },
    Era { name: "大正", romaji: "Taishō", initial: 'T', starts: time::macros::date!(1912 - 07 - 30) },
    Era { name: "昭和", romaji: "Shōwa", initial: 'S', starts: time::macros::date!(1926 - 12 - 25) },
    Era { name: "平成", romaji: "Heisei", initial: 'H', starts: time::macros::date!(1989 - 01 - 08) },
    Era { name: "令和", romaji: "Reiwa", initial: 'R', starts: time::macros::date!(2019 - 05 - 01) },
];

/// The era a date falls in and the year of that era (1 is 元年), or `None` before 明治.
pub fn wareki(date: Date) -> Option<(Era, i32)> {
    let era = ERAS.iter().rev().find(|e| date >= e.starts)?;
    Some((*era, date.year() - era.starts.year() + 1))
}

/// Full years of age on `on` of someone born on `birth` (a person born on 29 February turns a
/// year older on 1 March in common years, as the civil law counts).
pub fn age_on(birth: Date, on: Date) -> i32 {
    let had_birthday = (on.month() as u8, on.day()) >= (birth.month() as u8, birth.day());
    on.year() - birth.year() - i32::from(!had_birthday)
}

/// The era named or abbreviated `name` (令和, R).
pub(crate) fn era_named(name: &str) -> Option<Era> {
    let mut initial = name.chars();
    let initial = match (initial.next(), initial.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    };
    ERAS.iter().copied().find(|e| e.name == name || initial == Some(e.initial))
}

/// Reads a date typed as 2001-04-02, 2001/4/2, 2001.4.2, 2001年4月2日, 平成13年4月2日, H13.4.2 or
/// 令和元年5月1日, in full-width or half-width characters. A date outside the era it names
/// (平成31年5月1日) is refused.
pub fn parse_date(raw: &str) -> Option<Date> {
    let folded: String = raw.trim().nfkc().collect::<String>().to_uppercase();
    let split = folded.trim_end_matches('日').replace(['年', '月'], "-");
    let start = split.find(|c: char| c.is_ascii_digit() || c == '元')?;
    let era = match split[..start].trim() {
        "" => None,
        name => Some(era_named(name)?),
    };
    let parts: Vec<&str> = split[start..].split(['-', '/', '.']).map(str::trim).collect();
    let [y, m, d] = parts.as_slice() else { return None };
    let year = match era {
        None => y.parse::<i32>().ok()?,
        Some(era) => {
            let n: i32 = if *y == "元" { 1 } else { y.parse().ok()? };
            era.starts.year() + n - 1
        }
    };
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    let date = Date::from_calendar_date(year, month, d.parse().ok()?).ok()?;
    match era {
        Some(era) if wareki(date).map(|(e, _)| e) != Some(era) => None,
        _ => Some(date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn eras_begin_on_their_first_day() {
        assert_eq!(wareki(date!(2019 - 04 - 30)).map(|(e, y)| (e.name, y)), Some(("平成", 31)));
        assert_eq!(wareki(date!(2019 - 05 - 01)).map(|(e, y)| (e.name, y)), Some(("令和", 1)));
        assert_eq!(wareki(date!(2026 - 12 - 03)).map(|(e, y)| (e.name, y)), Some(("令和", 8)));
        assert_eq!(wareki(date!(1989 - 01 - 07)).map(|(e, y)| (e.name, y)), Some(("昭和", 64)));
        assert_eq!(wareki(date!(1900 - 01 - 01)).map(|(e, y)| (e.name, y)), Some(("明治", 33)));
        assert_eq!(wareki(date!(1850 - 01 - 01)), None);
    }

    #[test]
    fn age_counts_full_years() {
        assert_eq!(age_on(date!(2000 - 12 - 04), date!(2026 - 12 - 03)), 25);
        assert_eq!(age_on(date!(2000 - 12 - 03), date!(2026 - 12 - 03)), 26);
        assert_eq!(age_on(date!(2004 - 02 - 29), date!(2025 - 02 - 28)), 20);
        assert_eq!(age_on(date!(2004 - 02 - 29), date!(2025 - 03 - 01)), 21);
    }

    #[test]
    fn dates_are_read_in_every_form_an_office_types() {
        let d = Some(date!(2001 - 04 - 02));
        for raw in [
            "2001-04-02",
            "2001/4/2",
            "2001.4.2",
            "２００１／０４／０２",
            "2001年4月2日",
            "２００１年４月２日",
            "平成13年4月2日",
            "H13.4.2",
            "h13/4/2",
            " 平成 13年4月2日 ",
        ] {
            assert_eq!(parse_date(raw), d, "{raw}");
        }
        assert_eq!(parse_date("令和元年5月1日"), Some(date!(2019 - 05 - 01)));
        assert_eq!(parse_date("R1.5.1"), Some(date!(2019 - 05 - 01)));
        for raw in
            ["", "2001-02-30", "平成31年5月1日", "令和0年5月1日", "X13.4.2", "2001-04", "平成十三年四月二日", "元.4.2"]
        {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
    }
}
