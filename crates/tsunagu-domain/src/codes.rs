//! Public identifier codes with check digits: 全国地方公共団体コード and 法人番号.
//!
//! Both are parsed from what people actually type: full-width digits, spaces and hyphens are
//! accepted and dropped; the check digit is always recomputed.

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// Why a code was refused; the stable `code()` is what message catalogs translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Not the right number of digits (or not digits at all).
    #[error("wrong length or not digits")]
    Format,
    /// The digits are there but the check digit does not match.
    #[error("check digit does not match")]
    CheckDigit,
}

impl CodeError {
    /// The stable problem code.
    pub fn code(self) -> &'static str {
        match self {
            CodeError::Format => "digits_format",
            CodeError::CheckDigit => "check_digit",
        }
    }
}

/// Keeps the digits of `raw` after NFKC (so `１３１０１６` reads as `131016`), dropping spaces and
/// hyphens; any other character makes the input invalid.
fn digits(raw: &str, len: usize) -> Result<Vec<u8>, CodeError> {
    let mut out = Vec::with_capacity(len);
    for c in raw.nfkc() {
        match c {
            '0'..='9' => out.push(c as u8 - b'0'),
            ' ' | '-' | '‐' | '−' | 'ー' => {}
            _ => return Err(CodeError::Format),
        }
    }
    if out.len() == len { Ok(out) } else { Err(CodeError::Format) }
}

/// 全国地方公共団体コード: five JIS X 0402 digits and a check digit (131016 is 千代田区).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocalGovCode(String);

impl LocalGovCode {
    /// Parses and checks a code; the check digit is (11 − Σ dᵢ·wᵢ mod 11) mod 10, weights 6,5,4,3,2.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let d = digits(raw, 6)?;
        if u32::from(d[5]) != Self::check_digit(&d[..5]) {
            return Err(CodeError::CheckDigit);
        }
        Ok(Self(d.iter().map(|d| char::from(b'0' + d)).collect()))
    }

    /// The code of five JIS X 0402 digits, with its check digit added.
    pub fn from_jis(raw: &str) -> Result<Self, CodeError> {
        let d = digits(raw, 5)?;
        let check = Self::check_digit(&d);
        Ok(Self(d.iter().map(|d| char::from(b'0' + d)).chain(char::from_digit(check, 10)).collect()))
    }

    fn check_digit(five: &[u8]) -> u32 {
        let sum: u32 = five.iter().zip([6, 5, 4, 3, 2]).map(|(&d, w)| u32::from(d) * w).sum();
        (11 - sum % 11) % 10
    }

    /// The six digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-digit prefecture code (13 for Tokyo): the key personal records are partitioned by.
    pub fn prefecture(&self) -> &str {
        &self.0[..2]
    }
}

impl fmt::Display for LocalGovCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for LocalGovCode {
    type Error = CodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<LocalGovCode> for String {
    fn from(value: LocalGovCode) -> Self {
        value.0
    }
}

/// 法人番号: a check digit followed by twelve digits (国税庁 is 7000012050002).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CorporateNumber(String);

impl CorporateNumber {
    /// Parses and checks a number: check = 9 − (Σ Pₙ·Qₙ mod 9), Pₙ the n-th digit from the right
    /// of the last twelve, Qₙ = 1 for odd n and 2 for even n.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        let d = digits(raw, 13)?;
        let sum: u32 =
            d[1..].iter().rev().enumerate().map(|(i, &p)| u32::from(p) * if i % 2 == 0 { 1 } else { 2 }).sum();
        if u32::from(d[0]) != 9 - sum % 9 {
            return Err(CodeError::CheckDigit);
        }
        Ok(Self(d.iter().map(|d| char::from(b'0' + d)).collect()))
    }

    /// Computes the full number for twelve base digits; used to make valid demo employers.
    pub fn from_base(base: u64) -> Self {
        let base = base % 1_000_000_000_000;
        let text = format!("{base:012}");
        let sum: u32 =
            text.bytes().rev().enumerate().map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 2 }).sum();
        Self(format!("{}{text}", 9 - sum % 9))
    }

    /// The thirteen digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CorporateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CorporateNumber {
    type Error = CodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CorporateNumber> for String {
    fn from(value: CorporateNumber) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_lg(input: &str, expected: Result<&str, CodeError>) {
        assert_eq!(LocalGovCode::parse(input).as_ref().map(|c| c.as_str()), expected.as_ref().map(|s| *s), "{input}");
    }

    #[test]
    fn local_government_codes() {
        check_lg("131016", Ok("131016")); // 千代田区
        check_lg("131041", Ok("131041")); // 新宿区: remainder 0 gives check digit 1
        check_lg("134210", Ok("134210")); // 小笠原村: remainder 1 gives check digit 0
        check_lg("１３１０１６", Ok("131016")); // full-width digits, as typed in Japanese IMEs
        check_lg("13101-6", Ok("131016"));
        check_lg("131017", Err(CodeError::CheckDigit));
        check_lg("13101", Err(CodeError::Format));
        check_lg("1310166", Err(CodeError::Format));
        check_lg("13101a", Err(CodeError::Format));
        check_lg("", Err(CodeError::Format));
        for five in ["13101", "13104", "13421"] {
            let made = LocalGovCode::from_jis(five).unwrap();
            assert_eq!(
                LocalGovCode::parse(made.as_str()).as_ref(),
                Ok(&made),
                "the check digit added is the one parse checks"
            );
        }
        assert_eq!(LocalGovCode::from_jis("13101").unwrap().as_str(), "131016");
        assert_eq!(LocalGovCode::from_jis("131016"), Err(CodeError::Format));
    }

    #[test]
    fn corporate_numbers() {
        assert_eq!(CorporateNumber::parse("7000012050002").map(|c| c.0), Ok("7000012050002".into())); // 国税庁
        assert_eq!(CorporateNumber::parse("7-0000-1205-0002").map(|c| c.0), Ok("7000012050002".into()));
        assert_eq!(CorporateNumber::parse("6000012050002"), Err(CodeError::CheckDigit));
        assert_eq!(CorporateNumber::parse("700001205000"), Err(CodeError::Format));
        assert_eq!(CorporateNumber::from_base(12050002).as_str(), "7000012050002");
    }

    proptest! {
        #[test]
        fn every_generated_corporate_number_parses(base in 0u64..1_000_000_000_000) {
            let n = CorporateNumber::from_base(base);
            prop_assert_eq!(CorporateNumber::parse(n.as_str()), Ok(n.clone()));
        }

        #[test]
        fn changing_one_digit_of_a_local_government_code_is_caught(i in 0usize..5, delta in 1u8..10) {
            let mut d: Vec<u8> = b"131016".to_vec();
            d[i] = b'0' + (d[i] - b'0' + delta) % 10;
            let changed = String::from_utf8(d).unwrap_or_default();
            prop_assert!(LocalGovCode::parse(&changed).is_err());
        }

        #[test]
        fn parsing_never_panics(s in "\\PC*") {
            let _ = LocalGovCode::parse(&s);
            let _ = CorporateNumber::parse(&s);
        }
    }
}

/// The 47 prefectures by their JIS X 0401 code (01 北海道 … 47 沖縄県).
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// The name of the prefecture with JIS X 0401 code `code` (`13` is 東京都).
pub fn prefecture_name(code: &str) -> Option<&'static str> {
    let n: usize = code.parse().ok()?;
    PREFECTURES.get(n.checked_sub(1)?).copied()
}

#[cfg(test)]
mod prefecture_tests {
    #[test]
    fn prefectures_are_named_by_their_code() {
        assert_eq!(super::prefecture_name("13"), Some("東京都"));
        assert_eq!(super::prefecture_name("01"), Some("北海道"));
        assert_eq!(super::prefecture_name("47"), Some("沖縄県"));
        assert_eq!(super::prefecture_name("00"), None);
        assert_eq!(super::prefecture_name("48"), None);
    }
}
