//! Text folding for search: the directory must find ﾊﾛｰﾜｰｸ, ハローワーク and はろーわーく alike.

use unicode_normalization::UnicodeNormalization;

/// Folds text for matching: NFKC (full/half width, compatibility forms), katakana to hiragana,
/// lower case, and whitespace removed. Stored beside each record and applied to every query.
///
/// One pass can leave text that a second pass changes (found by fuzzing): NFKC turns some
/// characters into a space and a combining mark (¨ becomes a space and U+0308), and once the space
/// is dropped the mark meets another and the next normalisation reorders them. So the fold is
/// repeated until it holds — one extra pass for ordinary text — and a key folds to itself.
pub fn search_key(text: &str) -> String {
    let mut key = fold_once(text);
    // Each pass can only bring marks together that a space kept apart; a handful is plenty.
    for _ in 0..8 {
        let again = fold_once(&key);
        if again == key {
            break;
        }
        key = again;
    }
    key
}

fn fold_once(text: &str) -> String {
    text.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            // Katakana ァ..ヶ sit exactly 0x60 above hiragana ぁ..ゖ.
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a name search looks for: the typed text in the width-folded form names are kept in
/// (NFKC, trimmed), and its hiragana and katakana forms for readings, which may be kept in
/// either.
pub fn name_search_forms(typed: &str) -> (String, String, String) {
    let name: String = typed.nfkc().collect::<String>().trim().to_owned();
    let hiragana = name
        .chars()
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect();
    let katakana = name
        .chars()
        .map(|c| match c {
            'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect();
    (name, hiragana, katakana)
}

/// What a phone dials for a number as written (０３-1234-5678 → 0312345678, keeping a leading
/// +), or `None` when it holds no digit.
pub fn dial_digits(phone: &str) -> Option<String> {
    let digits: String = phone.nfkc().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    digits.chars().any(|c| c.is_ascii_digit()).then_some(digits)
}

/// `text` cut to `max` characters, with an ellipsis when it was longer: how much of what a
/// caller sent is quoted back or kept.
pub fn cut_to(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// Checks that a reading (ふりがな) is kana only: hiragana, katakana, the long-vowel mark,
/// middle dot, spaces and ASCII/full-width letters or digits as used in names like "NPO".
pub fn is_kana_reading(text: &str) -> bool {
    text.nfkc().all(|c| {
        matches!(c, 'ぁ'..='ゖ' | 'ァ'..='ヺ' | 'ー' | '・' | '゛' | '゜' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ')
            || c.is_whitespace()
            || c.is_ascii_alphanumeric()
            || matches!(c, '(' | ')' | '・' | '.' | '-' | '&')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_folds_to_itself_even_when_marks_meet_across_a_dropped_space() {
        // The input the fuzzer found (fuzz/run.sh codes_and_text): combining marks on either side
        // of line breaks, which the first pass drops.
        let found = "54B\n\u{33d}\n\u{33d}\u{32f}\n\u{33d}\n 2\n 2";
        let key = search_key(found);
        assert_eq!(search_key(&key), key);
        assert_eq!(search_key("ハロー ワーク"), search_key(&search_key("ﾊﾛｰﾜｰｸ")));
    }

    #[test]
    fn width_and_kana_differences_fold_together() {
        let cases = [
            ("ハローワーク", "はろーわーく"),
            ("ﾊﾛｰﾜｰｸ", "はろーわーく"),
            ("はろーわーく", "はろーわーく"),
            ("ＮＰＯ法人　つなぐ", "npo法人つなぐ"),
            ("ＴＡＬＡＮＴ（タラント）", "talant(たらんと)"),
            ("ガ", "が"),
            ("ｶﾞ", "が"),
        ];
        for (input, expected) in cases {
            assert_eq!(search_key(input), expected, "{input}");
        }
    }

    #[test]
    fn phone_numbers_dial_their_digits() {
        assert_eq!(dial_digits("０３-1234-5678"), Some("0312345678".to_owned()));
        assert_eq!(dial_digits("+81 3 1234 5678"), Some("+81312345678".to_owned()));
        assert_eq!(dial_digits("内線なし"), None);
    }

    #[test]
    fn a_name_search_looks_for_both_kana_forms() {
        assert_eq!(name_search_forms(" ﾔﾏﾀﾞ "), ("ヤマダ".to_owned(), "やまだ".to_owned(), "ヤマダ".to_owned()));
        assert_eq!(name_search_forms("山田 は"), ("山田 は".to_owned(), "山田 は".to_owned(), "山田 ハ".to_owned()));
    }

    #[test]
    fn readings_must_be_kana() {
        assert!(is_kana_reading("とうきょうしょくぎょうせんたー"));
        assert!(is_kana_reading("トウキョウ ショクギョウ センター"));
        assert!(is_kana_reading("ﾄｳｷｮｳ"));
        assert!(!is_kana_reading("東京"));
    }
}
