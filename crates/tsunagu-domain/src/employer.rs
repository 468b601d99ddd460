//! Employers (企業): identified by 法人番号, with the facts the quota rules need.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::codes::{CorporateNumber, LocalGovCode};

/// An employer's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EmployerId(pub Uuid);

/// An employer in the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Employer {
    /// Id.
    pub id: EmployerId,
    /// Prefecture code of the employer's registration in this network.
    pub prefecture: String,
    /// 法人番号.
    pub corporate_number: CorporateNumber,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_kana: String,
    /// 日本標準産業分類 major division letter (A–T).
    pub industry: char,
    /// Number of regular workers (常用労働者数), for the quota.
    pub regular_workers: u32,
    /// 特例子会社.
    pub special_subsidiary: bool,
    /// Where it is.
    pub municipality: Option<LocalGovCode>,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// The major divisions (大分類) of 日本標準産業分類, letter and Japanese name.
pub const INDUSTRY_DIVISIONS: [(char, &str); 20] = [
    ('A', "農業、林業"),
    ('B', "漁業"),
    ('C', "鉱業、採石業、砂利採取業"),
    ('D', "建設業"),
    ('E', "製造業"),
    ('F', "電気・ガス・熱供給・水道業"),
    ('G', "情報通信業"),
    ('H', "運輸業、郵便業"),
    ('I', "卸売業、小売業"),
    ('J', "金融業、保険業"),
    ('K', "不動産業、物品賃貸業"),
    ('L', "学術研究、専門・技術サービス業"),
    ('M', "宿泊業、飲食サービス業"),
    ('N', "生活関連サービス業、娯楽業"),
    ('O', "教育、学習支援業"),
    ('P', "医療、福祉"),
    ('Q', "複合サービス事業"),
    ('R', "サービス業（他に分類されないもの）"),
    ('S', "公務（他に分類されるものを除く）"),
    ('T', "分類不能の産業"),
];
