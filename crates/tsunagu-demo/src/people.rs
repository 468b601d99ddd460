//! The demo's persons: fictional names, plausible disabilities, certificates, accommodations and
//! consents, each registered at a casework agency with an open case.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration, OffsetDateTime};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::consent::{Consent, ConsentId, ConsentRecord, DataCategory, Evidence, Purpose, Recipient};
use tsunagu_domain::directory::{AgencyId, BlockCode};
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::journey::{DEFAULT_FOLLOW_UP_DAYS, Stage, SupportFields, SupportKind, follow_up_dates};
use tsunagu_domain::journey::{FollowUp, StageChange, SupportRecord};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::person::{Certificate, DisabilityCategory, Person, PersonFields, RyoikuGrade};
use tsunagu_domain::placement::{EndReason, Placement, PlacementEnd, PlacementFields, PlacementId, PlacementKind};
use tsunagu_domain::plan::PlanFields;
use tsunagu_domain::plan::SupportPlan;
use tsunagu_store::Registration;
use uuid::Uuid;

use tsunagu_app::clock::tokyo_date;

pub(crate) const FAMILY: [(&str, &str); 20] = [
    ("佐藤", "さとう"),
    ("鈴木", "すずき"),
    ("高橋", "たかはし"),
    ("田中", "たなか"),
    ("伊藤", "いとう"),
    ("渡辺", "わたなべ"),
    ("山本", "やまもと"),
    ("中村", "なかむら"),
    ("小林", "こばやし"),
    ("加藤", "かとう"),
    ("吉田", "よしだ"),
    ("山田", "やまだ"),
    ("佐々木", "ささき"),
    ("山口", "やまぐち"),
    ("松本", "まつもと"),
    ("井上", "いのうえ"),
    ("木村", "きむら"),
    ("林", "はやし"),
    ("清水", "しみず"),
    ("森", "もり"),
];

const GIVEN: [(&str, &str); 20] = [
    ("大輔", "だいすけ"),
    ("陽菜", "ひな"),
    ("翔太", "しょうた"),
    ("美咲", "みさき"),
    ("拓也", "たくや"),
    ("さくら", "さくら"),
    ("健太", "けんた"),
    ("結衣", "ゆい"),
    ("直樹", "なおき"),
    ("愛", "あい"),
    ("悠斗", "ゆうと"),
    ("真由美", "まゆみ"),
    ("誠", "まこと"),
    ("彩", "あや"),
    ("和也", "かずや"),
    ("七海", "ななみ"),
    ("隆", "たかし"),
    ("恵", "めぐみ"),
    ("蓮", "れん"),
    ("優子", "ゆうこ"),
];

const ACCOMMODATIONS: [&str; 8] = [
    "指示は一つずつ、口頭と紙の両方で伝える",
    "休憩を自分の判断で取れるようにする（1時間に5分程度）",
    "騒音の少ない席、イヤーマフの使用を認める",
    "通院日（月1回平日）の休暇取得に配慮",
    "車いすで通れる動線と多目的トイレ",
    "作業手順を写真付きのマニュアルにする",
    "始業時刻を30分遅らせる（ラッシュを避ける）",
    "相談相手（キーパーソン）を一人決めておく",
];

const HEALTH: [&str; 4] = [
    "月1回通院（精神科）。服薬中、朝は眠気が出やすい",
    "てんかん発作の既往あり。最終発作は3年前",
    "糖尿病の自己管理（昼食前に血糖測定）",
    "疲れやすく、長時間の立ち仕事は主治医が控えるよう助言",
];

const AREAS: [&str; 6] =
    ["自宅から30分以内", "JR中央線沿線", "区内", "在宅勤務を含む", "西武池袋線沿線", "徒歩・自転車圏内"];

/// An agency that holds cases, where persons are registered.
#[derive(Debug, Clone)]
pub(crate) struct CaseworkAgency {
    pub id: AgencyId,
    pub block: Option<BlockCode>,
    /// The agency's prefecture, which its persons and their records carry.
    pub prefecture: String,
}

/// Where the demo registers persons, and who the consents can name.
pub(crate) struct PeopleSetting<'a> {
    /// Casework agencies; persons are spread over them.
    pub agencies: &'a [CaseworkAgency],
    /// Agency that gets every `featured_every`-th person (the demo worker's).
    pub featured: CaseworkAgency,
    /// How often the featured agency is chosen (its caseload is about 20,000 at the benchmark
    /// scales).
    pub featured_every: usize,
    /// The demo teacher's school: every tenth person of the first 400 (beside the featured
    /// agency's), aged 15 to 18, so that it has students to enrol.
    pub school: Option<CaseworkAgency>,
    /// An employer some persons consent to share with.
    pub employer: Option<EmployerId>,
    /// The employers persons are hired by.
    pub hirers: &'a [EmployerId],
    /// Who recorded the demo's consents.
    pub recorder: AccountId,
    /// Now.
    pub now: OffsetDateTime,
}

/// Generates registration `i` of the demo.
pub(crate) fn registration(
    rng: &mut ChaCha8Rng,
    i: usize,
    s: &PeopleSetting<'_>,
    id: impl Fn(&mut ChaCha8Rng) -> Uuid,
) -> Registration {
    let person = PersonId(id(rng));
    let mut casework = if i.is_multiple_of(s.featured_every) {
        s.featured.clone()
    } else {
        s.agencies[rng.random_range(0..s.agencies.len())].clone()
    };
    // Chosen after the draw, so that every other person comes out as before.
    let student = i % 10 == 1 && i < 400 && s.school.is_some();
    if let Some(school) = s.school.as_ref().filter(|_| student) {
        casework = school.clone();
    }
    let CaseworkAgency { id: agency, block, prefecture } = casework;
    let (family, family_kana) = FAMILY[rng.random_range(0..FAMILY.len())];
    let (given, given_kana) = GIVEN[rng.random_range(0..GIVEN.len())];
    let today = tokyo_date(s.now);
    let birth_date =
        Date::from_julian_day(today.to_julian_day() - rng.random_range(18 * 365..60 * 365)).unwrap_or(today);
    let birth_date = if student {
        Date::from_julian_day(today.to_julian_day() - 15 * 365 - (i as i32 * 37) % (3 * 365)).unwrap_or(birth_date)
    } else {
        birth_date
    };
    let (categories, certificates) = match rng.random_range(0..10) {
        0..=2 => (vec![DisabilityCategory::Intellectual], vec![Certificate::AiNoTecho(rng.random_range(2..=4))]),
        3..=5 => (vec![DisabilityCategory::Mental], vec![Certificate::Mental(rng.random_range(2..=3))]),
        6 => (
            vec![DisabilityCategory::Intellectual, DisabilityCategory::Developmental],
            vec![Certificate::Ryoiku(if rng.random_range(0..4) == 0 { RyoikuGrade::A } else { RyoikuGrade::B })],
        ),
        7 => (vec![DisabilityCategory::Developmental], vec![Certificate::Mental(3)]),
        8 => (vec![DisabilityCategory::Physical], vec![Certificate::Physical(rng.random_range(1..=6))]),
        _ => (vec![DisabilityCategory::HigherBrainDysfunction], vec![]),
    };
    let health = rng.random_range(0..3) == 0;
    let opened_on = today - Duration::days(rng.random_range(0..900));
    let at = s.now - Duration::days((today - opened_on).whole_days());
    let consent =
        |rng: &mut ChaCha8Rng, recipient: Recipient, purposes: Vec<Purpose>, categories: Vec<DataCategory>| {
            ConsentRecord {
                prefecture: prefecture.clone(),
                consent: Consent {
                    id: ConsentId(id(rng)),
                    person,
                    recipient,
                    purposes,
                    categories,
                    valid_from: opened_on,
                    valid_to: None,
                    revoked_at: None,
                },
                evidence: Evidence::PaperForm,
                evidence_note: "同意書の原本はケースファイルに保管".to_owned(),
                recorded_by: s.recorder,
                recorded_at: at,
            }
        };
    let mut own_categories = vec![DataCategory::Basic, DataCategory::Support, DataCategory::Disability];
    if health {
        own_categories.push(DataCategory::Health);
    }
    let mut consents =
        vec![consent(rng, Recipient::Agency(agency), vec![Purpose::Support, Purpose::Retention], own_categories)];
    if i % 7 == 3
        && let Some(block) = block
    {
        // Shared with the block's coordinator and centres for a case conference.
        consents.push(consent(
            rng,
            Recipient::Block(block),
            vec![Purpose::Support, Purpose::Referral],
            vec![DataCategory::Basic, DataCategory::Support, DataCategory::Disability],
        ));
    }
    if i % 11 == 4
        && let Some(employer) = s.employer
    {
        let mut c = consent(
            rng,
            Recipient::Employer(employer),
            vec![Purpose::Placement, Purpose::Retention],
            vec![DataCategory::Basic, DataCategory::Disability],
        );
        if i % 22 == 15 {
            c.consent.revoked_at = Some(s.now - Duration::days(3));
        }
        consents.push(c);
    }
    Registration {
        person: Person {
            id: person,
            prefecture: prefecture.clone(),
            fields: PersonFields {
                name: format!("{family} {given}"),
                name_kana: format!("{family_kana} {given_kana}"),
                birth_date,
                phone: Some(format!("090-0000-{:04}", i % 10_000)),
                email: None,
                address: None,
                categories,
                certificates,
                accommodations: Some(ACCOMMODATIONS[rng.random_range(0..ACCOMMODATIONS.len())].to_owned()),
                health_notes: health.then(|| HEALTH[rng.random_range(0..HEALTH.len())].to_owned()),
                preferred_hours: Some([20, 25, 30, 35, 40][rng.random_range(0..5)]),
                preferred_area: Some(AREAS[rng.random_range(0..AREAS.len())].to_owned()),
                // Four in five have someone to call recorded; the demo draws no randomness for it.
                emergency_contact: (!i.is_multiple_of(5))
                    .then(|| format!("{} {family}", ["母", "父", "姉", "配偶者"][i % 4])),
                emergency_phone: (!i.is_multiple_of(5)).then(|| format!("080-0000-{:04}", i % 10_000)),
            },
            registered_by: agency,
            version: 1,
            created_at: at,
            updated_at: at,
        },
        consents,
        case: CaseRecord {
            id: id(rng),
            prefecture: prefecture.clone(),
            person,
            agency,
            opened_on,
            closed_on: None,
            opened_by: s.recorder,
        },
        duplicates: tsunagu_store::Duplicates::Link(vec![]),
    }
}

const NOTES: [(SupportKind, &str); 12] = [
    (SupportKind::Consultation, "来所。生活リズムと通所状況を確認。睡眠は安定している"),
    (SupportKind::Consultation, "求人票を一緒に確認し、応募先を2社に絞った"),
    (SupportKind::WorkplaceVisit, "職場訪問。上司と面談し、作業手順の掲示を提案"),
    (SupportKind::WorkplaceVisit, "休憩の取り方について本人と上司で合意。次回は1か月後"),
    (SupportKind::Accompaniment, "ハローワークの面接に同行。配慮事項を本人が説明できた"),
    (SupportKind::Phone, "本人から電話。残業が続き疲れているとの相談"),
    (SupportKind::Phone, "家族から電話。通勤経路の変更について"),
    (SupportKind::Online, "オンライン面談。在宅勤務の業務量を確認"),
    (SupportKind::CaseConference, "ケース会議（ハローワーク・医療機関・当センター）。定着支援の方針を共有"),
    (SupportKind::Assessment, "職業評価。作業の正確さは高く、速度は練習で伸びる見込み"),
    (SupportKind::Written, "企業人事へ配慮事項の資料を送付"),
    (SupportKind::HomeVisit, "家庭訪問。朝の準備の手順を一緒に整理"),
];

const NEXT_ACTIONS: [&str; 5] = [
    "職場訪問で様子を確認",
    "求人への応募書類の確認",
    "主治医意見書の受け取り",
    "ケース会議の日程調整",
    "電話で体調確認",
];

/// A demo person's journey: stage changes, support records, the follow-ups of a placement, and
/// perhaps a support plan.
pub(crate) struct DemoJourney {
    pub stages: Vec<StageChange>,
    pub records: Vec<SupportRecord>,
    pub follow_ups: Vec<FollowUp>,
    pub plan: Option<SupportPlan>,
    pub placements: Vec<Placement>,
}

const GOALS: [(&str, &str); 4] = [
    ("週20時間の事務補助で就職する", "PC入力の練習（週2回）\n企業見学（月1回）"),
    ("就職後6か月の定着", "月1回の職場訪問\n本人・上司との三者面談"),
    ("生活リズムを整え、週4日通所する", "起床時刻の記録\n通所日の振り返り"),
    ("清掃の仕事で実習に参加する", "実習先の見学\n作業手順書の作成"),
];

/// A plausible journey for a registration: the stages so far, `records` support records by the
/// registering agency (the last one setting a next action), follow-ups if the person was placed,
/// and a support plan for one person in three.
pub(crate) fn journey(
    rng: &mut ChaCha8Rng,
    reg: &Registration,
    records: usize,
    s: &PeopleSetting<'_>,
    id: impl Fn(&mut ChaCha8Rng) -> Uuid,
) -> DemoJourney {
    use Stage::*;
    let paths: [&[Stage]; 6] = [
        &[Intake, Assessment],
        &[Intake, Assessment, Preparation, JobSearch],
        &[Intake, Assessment, JobSearch, Employed, Retention],
        &[Intake, Preparation, JobSearch, TrialEmployment, Employed, Retention],
        &[Intake, Assessment, JobSearch, Employed, Retention, Separated, JobSearch],
        &[Intake, JobSearch, Employed, Retention, OnLeave, ReturnToWork],
    ];
    let path = paths[rng.random_range(0..paths.len())];
    let today = tokyo_date(s.now);
    let start = reg.case.opened_on;
    let span = (today - start).whole_days().max(1);
    let day = |k: usize, n: usize| start + Duration::days(span * k as i64 / n.max(1) as i64);
    let person = reg.person.id;
    let agency = reg.case.agency;
    let stages: Vec<StageChange> = path
        .iter()
        .enumerate()
        .map(|(k, stage)| StageChange {
            id: id(rng),
            prefecture: reg.person.prefecture.clone(),
            person,
            stage: *stage,
            on: day(k, path.len()),
            agency,
            recorded_by: s.recorder,
            recorded_at: s.now - Duration::days((today - day(k, path.len())).whole_days()),
            reason: String::new(),
        })
        .collect();
    let mut support = Vec::with_capacity(records);
    for k in 0..records {
        let (kind, note) = NOTES[rng.random_range(0..NOTES.len())];
        let date = day(k + 1, records);
        let last = k + 1 == records;
        let next_on = date + Duration::days(rng.random_range(-10..30));
        support.push(SupportRecord {
            id: id(rng),
            prefecture: reg.person.prefecture.clone(),
            person,
            agency,
            staff: s.recorder,
            staff_name: "支援 花子".to_owned(),
            fields: SupportFields {
                kind,
                date,
                minutes: [15, 30, 45, 60, 90, 120][rng.random_range(0..6)],
                note: note.to_owned(),
                next_action: last.then(|| NEXT_ACTIONS[rng.random_range(0..NEXT_ACTIONS.len())].to_owned()),
                next_action_on: last.then_some(next_on.max(date)),
            },
            recorded_at: s.now - Duration::days((today - date).whole_days()),
        });
    }
    let follow_ups = stages
        .iter()
        .rfind(|c| c.stage.is_placement())
        .map(|placed| {
            follow_up_dates(placed.on, &DEFAULT_FOLLOW_UP_DAYS)
                .into_iter()
                .map(|due_on| FollowUp {
                    id: id(rng),
                    prefecture: reg.person.prefecture.clone(),
                    person,
                    agency,
                    placed_on: placed.on,
                    due_on,
                    // Those already past were done on the day.
                    done: (due_on < today).then_some((due_on, s.recorder)),
                    note: None,
                    closed_on: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let plan = (rng.random_range(0..3) == 0).then(|| {
        let (goal, actions) = GOALS[rng.random_range(0..GOALS.len())];
        let review_on = today + Duration::days(rng.random_range(-5..60));
        SupportPlan {
            id: id(rng),
            prefecture: reg.person.prefecture.clone(),
            person,
            agency,
            fields: PlanFields {
                goal: goal.to_owned(),
                actions: actions.to_owned(),
                owner: "本人・支援員".to_owned(),
                review_on,
            },
            review_on: Some(review_on),
            outcome: None,
            created_by: s.recorder,
            created_at: s.now - Duration::days(30),
            reviews: Vec::new(),
        }
    });
    let placements = placements(reg, &stages, s);
    DemoJourney { stages, records: support, follow_ups, plan, placements }
}

const JOB_TITLES: [&str; 8] =
    ["データ入力", "清掃", "商品の検品", "製造補助", "事務補助", "調理補助", "軽作業", "介護補助"];

/// A placement for each move of the journey to 就職, ended where a later move is to 離職.
/// Drawn from a generator seeded by the person's id, so the rest of the demo stays as it was.
fn placements(reg: &Registration, stages: &[StageChange], s: &PeopleSetting<'_>) -> Vec<Placement> {
    use rand::SeedableRng;
    if s.hirers.is_empty() {
        return Vec::new();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(reg.person.id.0.as_u128() as u64);
    let mut out = Vec::new();
    for (k, hired) in stages.iter().enumerate().filter(|(_, c)| c.stage.is_placement()) {
        let left = stages[k..].iter().find(|c| c.stage == Stage::Separated);
        let recorded_at = hired.recorded_at;
        out.push(Placement {
            id: PlacementId(Uuid::from_u128(rng.random::<u128>() & !(0xF << 76) | (4 << 76))),
            prefecture: reg.person.prefecture.clone(),
            person: reg.person.id,
            agency: hired.agency,
            fields: PlacementFields {
                employer: s.hirers[rng.random_range(0..s.hirers.len())],
                opening: None,
                job_title: JOB_TITLES[rng.random_range(0..JOB_TITLES.len())].to_owned(),
                starts_on: hired.on,
                hours: reg.person.fields.preferred_hours.unwrap_or(20).clamp(10, 40),
                kind: if rng.random_range(0..10) == 0 { PlacementKind::TypeA } else { PlacementKind::General },
            },
            end: left.map(|l| PlacementEnd {
                ended_on: l.on,
                reason: EndReason::ALL[rng.random_range(0..EndReason::ALL.len())],
                note: String::new(),
            }),
            recorded_by: s.recorder,
            version: if left.is_some() { 2 } else { 1 },
            created_at: recorded_at,
            updated_at: left.map_or(recorded_at, |l| l.recorded_at),
        });
    }
    out
}
