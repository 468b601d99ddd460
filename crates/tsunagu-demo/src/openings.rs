//! The demo's openings (求人): a third of the employers offer one at demo scale; at Tokyo scale
//! 20,000 employers offer 50,000, the number the matching benchmark ranks. Drawn from a generator
//! of their own, so the rest of the demo is the same with or without them.

use rand::{Rng, RngExt};
use time::{Duration, OffsetDateTime};
use tsunagu_domain::LocalGovCode;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::opening::{Accommodation, Opening, OpeningFields, OpeningId, OpeningStatus, WageKind};
use tsunagu_domain::person::DisabilityCategory;
use uuid::Uuid;

/// Job titles with the tasks carved out for them (職務の切り出し).
const JOBS: [(&str, [&str; 3]); 8] = [
    ("事務補助", ["郵便物の仕分けと配付", "伝票のデータ入力", "書類のスキャンとファイリング"]),
    ("清掃スタッフ", ["事務所フロアの清掃", "ごみの分別と回収", "備品の補充"]),
    ("製造補助", ["部品の検品", "製品の袋詰め", "ラベル貼り"]),
    ("品出し・陳列", ["商品の品出し", "売場の整理", "値札の付け替え"]),
    ("調理補助", ["野菜の下ごしらえ", "食器の洗浄", "盛り付け"]),
    ("倉庫内作業", ["ピッキング", "梱包", "入荷品の検品"]),
    ("介護補助", ["シーツ交換", "配膳と下膳", "施設内の清掃"]),
    ("ITサポート", ["PC のキッティング", "社内問い合わせの一次受付", "データのチェック"]),
];

const HOURS: [(u8, u8); 4] = [(10, 20), (20, 30), (30, 40), (20, 40)];

/// Where an employer is: its id, prefecture and municipality.
pub(crate) struct Offerer {
    pub id: EmployerId,
    pub prefecture: String,
    pub municipality: Option<LocalGovCode>,
}

/// How many openings the `i`-th employer offers: at demo scale every third offers one; at larger
/// scales each offers two or three (2.5 on average).
pub(crate) fn count_for(i: usize, larger: bool) -> usize {
    match (larger, i % 2) {
        (false, _) => usize::from(i.is_multiple_of(3)),
        (true, 0) => 2,
        (true, _) => 3,
    }
}

/// The openings of `employer`, `n` of them, dated up to four months before `now`.
pub(crate) fn openings_of(rng: &mut impl Rng, employer: &Offerer, n: usize, now: OffsetDateTime) -> Vec<Opening> {
    (0..n)
        .map(|_| {
            let (title, tasks) = JOBS[rng.random_range(0..JOBS.len())];
            let (hours_min, hours_max) = HOURS[rng.random_range(0..HOURS.len())];
            let (wage_kind, wage) = if rng.random_range(0..4) == 0 {
                (WageKind::Monthly, rng.random_range(180..=260) * 1_000)
            } else {
                (WageKind::Hourly, rng.random_range(1_163..=1_600))
            };
            let accommodations: Vec<Accommodation> =
                Accommodation::ALL.into_iter().filter(|_| rng.random_range(0..10) < 3).collect();
            let categories: Vec<DisabilityCategory> = if rng.random_range(0..2) == 0 {
                Vec::new()
            } else {
                DisabilityCategory::ALL.into_iter().filter(|_| rng.random_range(0..3) == 0).collect()
            };
            let status = match rng.random_range(0..10) {
                0 => OpeningStatus::Draft,
                1 => OpeningStatus::Closed,
                _ => OpeningStatus::Published,
            };
            let changed = now - Duration::days(rng.random_range(0..120));
            let published_on = (status != OpeningStatus::Draft).then(|| changed.date());
            Opening {
                id: OpeningId(Uuid::from_u128(rng.random::<u128>() & !(0xF << 76) | (4 << 76))),
                prefecture: employer.prefecture.clone(),
                employer: employer.id,
                fields: OpeningFields {
                    title: title.to_owned(),
                    tasks: tasks.iter().map(|t| (*t).to_owned()).collect(),
                    hours_min,
                    hours_max,
                    wage_kind,
                    wage,
                    municipality: employer.municipality.clone(),
                    place: None,
                    starts_on: None,
                    positions: rng.random_range(1..=3),
                    accommodations,
                    categories,
                    note: None,
                },
                status,
                published_on,
                version: 1,
                created_at: changed,
                updated_at: changed,
            }
        })
        .collect()
}
