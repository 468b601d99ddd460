//! A plausible Tokyo network for demonstrations and benchmarks, from a fixed random seed.
//!
//! Real public structure (blocks, the 62 municipalities, 17 ハローワーク, the 51 municipal
//! centres, one 障害者就業・生活支援センター per block) with fictional facilities, schools and
//! employers. Every demo phone number uses the unassigned 0000 exchange.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tsunagu_domain::account::{AccountId, Role};
use tsunagu_domain::directory::{
    Agency, AgencyFields, AgencyId, AgencyKind, Block, BlockCode, Municipality, MunicipalityKind, WelfareService,
};
use tsunagu_domain::document::{DocumentInput, DocumentKind};
use tsunagu_domain::employer::{Employer, EmployerFields, EmployerId, INDUSTRY_DIVISIONS};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::{CorporateNumber, LocalGovCode};
use tsunagu_store::{EmployerLookup, SeedBatch, SeedStore};
use uuid::Uuid;

use tsunagu_app::accounts::NewAccount;
use tsunagu_app::{App, AppError, PREFECTURE};

use crate::people::{CaseworkAgency, PeopleSetting};

mod openings;
mod people;

/// How big a network to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoScale {
    /// A browsable demo: a few hundred agencies and employers.
    Demo,
    /// Tokyo-sized, for benchmarks.
    Tokyo,
    /// Nationwide-sized, for benchmarks: 1,000,000 persons over 47 prefectures (Tokyo's real
    /// municipalities and synthetic, labelled ones elsewhere; see `data/README.md`).
    National,
}

impl DemoScale {
    fn facilities(self) -> usize {
        match self {
            Self::Demo => 240,
            Self::Tokyo => 2_400,
            Self::National => 24_000,
        }
    }

    fn persons(self) -> usize {
        match self {
            Self::Demo => 400,
            Self::Tokyo => 100_000,
            Self::National => 1_000_000,
        }
    }

    /// Every how many persons one goes to the demo worker's agency: about 20,000 open cases at
    /// either benchmark scale, so that their pages compare.
    fn featured_every(self) -> usize {
        match self {
            Self::Demo | Self::Tokyo => 5,
            Self::National => 50,
        }
    }

    /// Support records per person: 3 million at Tokyo scale.
    fn records_per_person(self) -> usize {
        match self {
            Self::Demo => 12,
            Self::Tokyo | Self::National => 30,
        }
    }

    fn employers(self) -> usize {
        match self {
            Self::Demo => 400,
            Self::Tokyo => 20_000,
            Self::National => 200_000,
        }
    }
}

/// Receives progress while the demo is built.
pub trait Progress {
    /// A new phase with `total` steps.
    fn phase(&self, name: &str, total: u64);
    /// `n` more steps done.
    fn advance(&self, n: u64);
}

/// Ignores progress.
pub struct NoProgress;

impl Progress for NoProgress {
    fn phase(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// How many of the first employers the demo's agencies developed.
const DEVELOPED_EMPLOYERS: usize = 24;

/// The password of every demo account. Demo databases are for demonstrations only.
pub const DEMO_PASSWORD: &str = "tsunagu-demo-2024";

/// The demo's logins, one per role, and the 職業センター's counselor (a job coach of the centre).
pub const DEMO_LOGINS: [&str; 10] =
    ["admin", "manager", "coordinator", "worker", "coach", "counselor", "teacher", "hellowork", "employer", "person"];

/// What the demo holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Agencies created.
    pub agencies: usize,
    /// Employers created.
    pub employers: usize,
    /// Persons registered.
    pub persons: usize,
    /// Support records written.
    pub support_records: usize,
    /// One demo login per role: (login, role).
    pub logins: Vec<(String, Role)>,
}

/// The 17 ハローワーク serving Tokyo and the municipality each sits in.
const HELLO_WORK: [(&str, &str, &str); 17] = [
    ("飯田橋", "いいだばし", "131059"),
    ("上野", "うえの", "131067"),
    ("品川", "しながわ", "131091"),
    ("大森", "おおもり", "131113"),
    ("渋谷", "しぶや", "131130"),
    ("新宿", "しんじゅく", "131041"),
    ("池袋", "いけぶくろ", "131164"),
    ("王子", "おうじ", "131172"),
    ("足立", "あだち", "131211"),
    ("墨田", "すみだ", "131075"),
    ("木場", "きば", "131083"),
    ("八王子", "はちおうじ", "132012"),
    ("立川", "たちかわ", "132021"),
    ("青梅", "おうめ", "132055"),
    ("三鷹", "みたか", "132047"),
    ("町田", "まちだ", "132098"),
    ("府中", "ふちゅう", "132063"),
];

/// Fictional facility names: (name, reading).
const FACILITY_PREFIXES: [(&str, &str); 16] = [
    ("ひまわり", "ひまわり"),
    ("さくら", "さくら"),
    ("あおぞら", "あおぞら"),
    ("みらい", "みらい"),
    ("はばたき", "はばたき"),
    ("つばさ", "つばさ"),
    ("こもれび", "こもれび"),
    ("わかば", "わかば"),
    ("かけはし", "かけはし"),
    ("ステップ", "すてっぷ"),
    ("リンク", "りんく"),
    ("ソレイユ", "それいゆ"),
    ("アトリエ", "あとりえ"),
    ("ひだまり", "ひだまり"),
    ("ともしび", "ともしび"),
    ("ワークス", "わーくす"),
];

const FACILITY_SUFFIXES: [(&str, &str); 5] = [
    ("就労支援センター", "しゅうろうしえんせんたー"),
    ("ワークセンター", "わーくせんたー"),
    ("作業所", "さぎょうしょ"),
    ("工房", "こうぼう"),
    ("キャリアスクール", "きゃりあすくーる"),
];

const EMPLOYER_WORDS: [(&str, &str); 16] = [
    ("東都", "とうと"),
    ("武蔵", "むさし"),
    ("隅田", "すみだ"),
    ("多摩", "たま"),
    ("青葉", "あおば"),
    ("光", "ひかり"),
    ("大江戸", "おおえど"),
    ("富士", "ふじ"),
    ("ネクスト", "ねくすと"),
    ("サンライズ", "さんらいず"),
    ("グリーン", "ぐりーん"),
    ("テック", "てっく"),
    ("ロジ", "ろじ"),
    ("フーズ", "ふーず"),
    ("ケア", "けあ"),
    ("システムズ", "しすてむず"),
];

struct Builder<'a> {
    rng: ChaCha8Rng,
    /// Tokyo's municipalities first, then (at national scale) the synthetic ones.
    municipalities: &'a [Municipality],
    /// How many of `municipalities` are Tokyo's.
    tokyo: usize,
    agencies: Vec<Agency>,
    now: time::OffsetDateTime,
    serial: u32,
}

impl Builder<'_> {
    fn id(&mut self) -> Uuid {
        // Ids from the seeded generator, so two builds of the demo are identical.
        Uuid::from_u128(self.rng.random::<u128>() & !(0xF << 76) | (4 << 76))
    }

    fn phone(&mut self, area: &str) -> String {
        self.serial += 1;
        format!("{area}-0000-{:04}", self.serial % 10_000)
    }

    fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code.as_str() == code)
    }

    fn random_municipality(&mut self) -> Municipality {
        let i = self.rng.random_range(0..self.municipalities.len());
        self.municipalities[i].clone()
    }

    fn random_tokyo_municipality(&mut self) -> Municipality {
        let i = self.rng.random_range(0..self.tokyo);
        self.municipalities[i].clone()
    }

    fn area_code(m: &Municipality) -> &'static str {
        match m.code.as_str().get(..3) {
            Some("131") => "03",
            _ => "042",
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "a private helper that reads best with every field named at the call"
    )]
    fn add(
        &mut self,
        kind: AgencyKind,
        name: String,
        name_kana: String,
        municipality: Option<&Municipality>,
        block: Option<BlockCode>,
        services: Vec<WelfareService>,
        departments: Vec<String>,
    ) {
        let id = AgencyId(self.id());
        let area = municipality.map_or("03", Self::area_code);
        let phone = Some(self.phone(area));
        // The FAX line beside the phone, in the same unassigned exchange.
        let fax = Some(format!("{area}-0000-{:04}", (self.serial + 5_000) % 10_000));
        let address = municipality.map(|m| {
            let chome = self.rng.random_range(1..6);
            let ban = self.rng.random_range(1..30);
            let prefecture = prefecture_name(m.code.prefecture());
            format!("{prefecture}{}本町{chome}-{ban}-1", m.name)
        });
        let postal_code =
            Some(format!("1{:02}-{:04}", self.rng.random_range(0..100), self.rng.random_range(0..10_000)));
        self.agencies.push(Agency {
            id,
            prefecture: municipality.map_or(PREFECTURE, |m| m.code.prefecture()).to_owned(),
            fields: AgencyFields {
                kind,
                name,
                name_kana,
                municipality: municipality.map(|m| m.code.clone()),
                block: if municipality.is_some() { None } else { block },
                postal_code,
                address,
                phone,
                fax,
                email: None,
                website: None,
                opening_hours: Some(opening_hours(kind).to_owned()),
                services,
                departments,
                notes: Some("デモ用の架空データです。".to_owned()),
            },
            version: 1,
            updated_at: self.now,
        });
    }
}

/// When a demo agency of `kind` answers: the hours such agencies commonly keep.
fn opening_hours(kind: AgencyKind) -> &'static str {
    match kind {
        AgencyKind::HelloWork | AgencyKind::LabourBureau | AgencyKind::MetropolitanGovernment => {
            "平日 8:30〜17:15（土日祝・年末年始は休み）"
        }
        AgencyKind::SpecialNeedsSchool => "平日 8:30〜16:30（長期休業中は要予約）",
        AgencyKind::WelfareFacility => "月〜金 9:00〜18:00（土曜は第2・第4のみ）",
        _ => "平日 9:00〜17:00（土日祝は休み）",
    }
}

/// A fictional consent form (see `data/README.md`).
const DEMO_CONSENT_FORM: &[u8] = include_bytes!("../data/demo-consent-form.pdf");

const PREFECTURES_CSV: &str = include_str!("../data/prefectures.csv");

/// The 47 prefectures: (JIS X 0401 code, name, reading).
fn prefectures() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    PREFECTURES_CSV.lines().skip(1).filter_map(|line| {
        let mut cells = line.split(',');
        Some((cells.next()?, cells.next()?, cells.next()?))
    })
}

/// A prefecture's name by its code (東京都 when the code is unknown).
fn prefecture_name(code: &str) -> &'static str {
    prefectures().find(|(c, _, _)| *c == code).map_or("東京都", |(_, name, _)| name)
}

/// Synthetic municipalities a prefecture gets at national scale.
const SYNTHETIC_PER_PREFECTURE: u32 = 20;

/// One block and [`SYNTHETIC_PER_PREFECTURE`] municipalities for every prefecture but Tokyo, all
/// labelled synthetic (`data/README.md`): codes PP901–PP920 with their check digits, a range no
/// real municipality uses.
fn synthetic_geography() -> (Vec<Block>, Vec<Municipality>) {
    let mut blocks = Vec::new();
    let mut municipalities = Vec::new();
    for (position, (code, name, kana)) in prefectures().filter(|(c, _, _)| *c != PREFECTURE).enumerate() {
        let block = BlockCode(format!("synthetic_{code}"));
        blocks.push(Block {
            code: block.clone(),
            name_ja: format!("{name}（合成）"),
            name_en: format!("Prefecture {code} (synthetic)"),
            position: 100 + position as i32,
        });
        for n in 1..=SYNTHETIC_PER_PREFECTURE {
            let Ok(lg) = LocalGovCode::from_jis(&format!("{code}9{n:02}")) else {
                continue;
            };
            municipalities.push(Municipality {
                code: lg,
                name: format!("{name}合成{n:02}市"),
                name_kana: format!("{kana}ごうせい{n:02}し"),
                kind: MunicipalityKind::City,
                block: block.clone(),
                block_provisional: true,
                runs_support_centre: false,
                has_development_coordinator: false,
            });
        }
    }
    (blocks, municipalities)
}

/// The kinds of agency that hold persons' cases in the demo.
const CASEWORK_KINDS: [AgencyKind; 4] = [
    AgencyKind::MunicipalSupportCentre,
    AgencyKind::EmploymentLifeSupportCentre,
    AgencyKind::WelfareFacility,
    AgencyKind::SpecialNeedsSchool,
];

/// The first agency of `kind`.
fn first_of(agencies: &[Agency], kind: AgencyKind) -> Option<AgencyId> {
    agencies.iter().find(|a| a.fields.kind == kind).map(|a| a.id)
}

/// A municipality's name without its 区/市/町/村 suffix, and the reading without its suffix.
fn stem(m: &Municipality) -> (String, String) {
    let (name_suffix, kana_suffixes): (char, &[&str]) = match m.kind {
        MunicipalityKind::SpecialWard => ('区', &["く"]),
        MunicipalityKind::City => ('市', &["し"]),
        MunicipalityKind::Town => ('町', &["まち", "ちょう"]),
        MunicipalityKind::Village => ('村', &["むら", "そん"]),
    };
    let name = m.name.strip_suffix(name_suffix).unwrap_or(&m.name).to_owned();
    let kana = kana_suffixes.iter().find_map(|s| m.name_kana.strip_suffix(s)).unwrap_or(&m.name_kana).to_owned();
    (name, kana)
}

/// Generates the demo's persons and their journeys in batches of 2,000 and hands each to
/// `batches`; answers the first person's id and name (the demo person's own account). Stops early
/// when the loader has stopped listening.
fn generate_people(
    rng: &mut ChaCha8Rng,
    scale: DemoScale,
    setting: &PeopleSetting<'_>,
    batches: &tokio::sync::mpsc::Sender<SeedBatch>,
) -> Featured {
    let new_id = |rng: &mut ChaCha8Rng| Uuid::from_u128(rng.random::<u128>() & !(0xF << 76) | (4 << 76));
    let mut featured = Featured::default();
    let mut seed = SeedBatch::default();
    for i in 0..scale.persons() {
        let registration = people::registration(rng, i, setting, new_id);
        if i == 0 {
            featured.own_record = Some((registration.person.id, registration.person.fields.name.clone()));
        }
        if featured.intern.is_none() && registration.case.agency == setting.featured.id {
            let employer = setting.employer.map(tsunagu_domain::consent::Recipient::Employer);
            let shares = registration.consents.iter().any(|c| {
                employer.as_ref() == Some(&c.consent.recipient)
                    && c.consent.revoked_at.is_none()
                    && c.consent.purposes.contains(&tsunagu_domain::consent::Purpose::Placement)
            });
            if shares {
                featured.intern = Some(registration.person.id);
            }
        }
        let journey = people::journey(rng, &registration, scale.records_per_person(), setting, new_id);
        seed.stages.extend(journey.stages);
        seed.support_records.extend(journey.records);
        seed.follow_ups.extend(journey.follow_ups);
        seed.plans.extend(journey.plan);
        seed.placements.extend(journey.placements);
        seed.registrations.push(registration);
        if (seed.registrations.len() == 2_000 || i + 1 == scale.persons())
            && batches.blocking_send(std::mem::take(&mut seed)).is_err()
        {
            break;
        }
    }
    featured
}

/// The persons of the worker's caseload the demo gives a part.
#[derive(Default)]
struct Featured {
    /// The first person, whose own account the demo opens, with their name.
    own_record: Option<(PersonId, String)>,
    /// The first whose consent lets their employer-to-be learn of them: the demo places them into
    /// the employer's slots.
    intern: Option<PersonId>,
}

/// Fills an empty, prepared database with the demo network: the directory and the accounts
/// through `app`, the persons and their journeys through `seeder` (the bulk loader a server
/// never holds).
pub async fn build(
    app: &App,
    seeder: &dyn SeedStore,
    scale: DemoScale,
    seed: u64,
    progress: &dyn Progress,
) -> Result<DemoSummary, AppError> {
    Generator { app, seeder }.build(scale, seed, progress).await
}

/// The demo generator over one application and its bulk loader.
struct Generator<'a> {
    app: &'a App,
    seeder: &'a dyn SeedStore,
}

impl Generator<'_> {
    async fn build(&self, scale: DemoScale, seed: u64, progress: &dyn Progress) -> Result<DemoSummary, AppError> {
        let refs = self.app.references().await?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // 地域開拓促進コーディネーター: the programme targets 47 区市町村; which ones is demo data.
        let mut municipalities = refs.municipalities.clone();
        let tokyo = municipalities.len();
        for m in municipalities.iter_mut().filter(|m| m.runs_support_centre) {
            if rng.random_range(0..51) < 47 {
                m.has_development_coordinator = true;
                self.app.store().update_municipality(m).await.map_err(AppError::Store)?;
            }
        }
        if scale == DemoScale::National {
            let (blocks, synthetic) = synthetic_geography();
            self.app.store().insert_blocks(&blocks).await.map_err(AppError::Store)?;
            self.app.store().insert_municipalities(&synthetic).await.map_err(AppError::Store)?;
            self.app.directory_changed();
            municipalities.extend(synthetic);
        }
        let now = self.app.now();
        let mut b = Builder { rng, municipalities: &municipalities, tokyo, agencies: Vec::new(), now, serial: 0 };

        let chiyoda = b.municipality("131016").cloned();
        let shinjuku = b.municipality("131041").cloned();
        b.add(
            AgencyKind::LabourBureau,
            "東京労働局".into(),
            "とうきょうろうどうきょく".into(),
            chiyoda.as_ref(),
            None,
            vec![],
            vec![],
        );
        for (name, kana, code) in HELLO_WORK {
            let m = b.municipality(code).cloned();
            b.add(
                AgencyKind::HelloWork,
                format!("ハローワーク{name}"),
                format!("はろーわーく{kana}"),
                m.as_ref(),
                None,
                vec![],
                vec![],
            );
        }
        for block in &refs.blocks {
            let members: Vec<Municipality> = municipalities.iter().filter(|m| m.block == block.code).cloned().collect();
            let home = members.first().cloned();
            b.add(
                AgencyKind::EmploymentLifeSupportCentre,
                format!("{}障害者就業・生活支援センター", block.name_ja),
                "しょうがいしゃしゅうぎょうせいかつしえんせんたー".into(),
                home.as_ref(),
                Some(block.code.clone()),
                vec![],
                vec![],
            );
        }
        for m in municipalities.iter().filter(|m| m.runs_support_centre) {
            b.add(
                AgencyKind::MunicipalSupportCentre,
                format!("{}障害者就労支援センター", m.name),
                format!("{}しょうがいしゃしゅうろうしえんせんたー", m.name_kana),
                Some(m),
                None,
                vec![],
                vec![],
            );
        }
        let taito = b.municipality("131067").cloned();
        let tachikawa = b.municipality("132021").cloned();
        b.add(
            AgencyKind::VocationalCentre,
            "東京障害者職業センター".into(),
            "とうきょうしょうがいしゃしょくぎょうせんたー".into(),
            taito.as_ref(),
            None,
            vec![],
            vec![],
        );
        b.add(
            AgencyKind::VocationalCentre,
            "東京障害者職業センター多摩支所".into(),
            "とうきょうしょうがいしゃしょくぎょうせんたーたましょ".into(),
            tachikawa.as_ref(),
            None,
            vec![],
            vec![],
        );
        let kodaira = b.municipality("132110").cloned();
        b.add(
            AgencyKind::VocationalTrainingSchool,
            "東京障害者職業能力開発校".into(),
            "とうきょうしょうがいしゃしょくぎょうのうりょくかいはつこう".into(),
            kodaira.as_ref(),
            None,
            vec![],
            vec![],
        );
        for (name, kana, code) in [
            ("中央・城北", "ちゅうおうじょうほく", "131172"),
            ("城南", "じょうなん", "131091"),
            ("多摩", "たま", "132021"),
        ] {
            let m = b.municipality(code).cloned();
            b.add(
                AgencyKind::VocationalTrainingSchool,
                format!("{name}職業能力開発センター"),
                format!("{kana}しょくぎょうのうりょくかいはつせんたー"),
                m.as_ref(),
                None,
                vec![],
                vec![],
            );
        }
        for (name, kana, code) in
            [("中部", "ちゅうぶ", "131067"), ("多摩総合", "たまそうごう", "132241"), ("", "", "131121")]
        {
            let m = b.municipality(code).cloned();
            b.add(
                AgencyKind::MentalHealthCentre,
                format!("東京都立{name}精神保健福祉センター"),
                format!("とうきょうとりつ{kana}せいしんほけんふくしせんたー"),
                m.as_ref(),
                None,
                vec![],
                vec![],
            );
        }
        b.add(
            AgencyKind::ShigotoFoundation,
            "東京しごと財団".into(),
            "とうきょうしごとざいだん".into(),
            chiyoda.as_ref(),
            None,
            vec![],
            vec![],
        );
        b.add(
            AgencyKind::MetropolitanGovernment,
            "東京都 産業労働局".into(),
            "とうきょうと さんぎょうろうどうきょく".into(),
            shinjuku.as_ref(),
            None,
            vec![],
            vec![],
        );
        b.add(
            AgencyKind::MetropolitanGovernment,
            "東京都 福祉局".into(),
            "とうきょうと ふくしきょく".into(),
            shinjuku.as_ref(),
            None,
            vec![],
            vec![],
        );
        b.add(
            AgencyKind::BoardOfEducation,
            "東京都教育委員会".into(),
            "とうきょうときょういくいいんかい".into(),
            shinjuku.as_ref(),
            None,
            vec![],
            vec![],
        );

        let schools = 24 * (scale.facilities() / 240).clamp(1, 3);
        for _ in 0..schools {
            // 都立: Tokyo's own schools.
            let m = b.random_tokyo_municipality();
            let (stem, kana) = stem(&m);
            let vocational = b.rng.random_range(0..4) == 0;
            let (name, reading, departments) = if vocational {
                (
                    format!("東京都立{stem}特別支援学校（職業学科）"),
                    format!("とうきょうとりつ{kana}とくべつしえんがっこう"),
                    vec!["就業技術科".to_owned(), "職能開発科".to_owned()],
                )
            } else {
                (
                    format!("東京都立{stem}特別支援学校"),
                    format!("とうきょうとりつ{kana}とくべつしえんがっこう"),
                    vec!["高等部".to_owned()],
                )
            };
            b.add(AgencyKind::SpecialNeedsSchool, name, reading, Some(&m), None, vec![], departments);
        }
        for m in municipalities.iter().filter(|m| m.kind != MunicipalityKind::Village) {
            let (stem, kana) = stem(m);
            b.add(
                AgencyKind::CommerceBody,
                format!("{stem}商工会"),
                format!("{kana}しょうこうかい"),
                Some(m),
                None,
                vec![],
                vec![],
            );
        }
        let medical = scale.facilities() / 6;
        for i in 0..medical {
            let m = b.random_municipality();
            let (stem, kana) = stem(&m);
            let (kind_name, kind_kana) = if i % 3 == 0 {
                ("メンタルクリニック", "めんたるくりにっく")
            } else {
                ("病院", "びょういん")
            };
            b.add(
                AgencyKind::MedicalInstitution,
                format!("{stem}{kind_name}{}", i / 3 + 1),
                format!("{kana}{kind_kana}"),
                Some(&m),
                None,
                vec![],
                vec![],
            );
        }
        progress.phase("機関", scale.facilities() as u64);
        for i in 0..scale.facilities() {
            let m = b.random_municipality();
            let (stem, kana) = stem(&m);
            let (p, pk) = FACILITY_PREFIXES[b.rng.random_range(0..FACILITY_PREFIXES.len())];
            let (s, sk) = FACILITY_SUFFIXES[b.rng.random_range(0..FACILITY_SUFFIXES.len())];
            let services = match b.rng.random_range(0..10) {
                0..=3 => vec![WelfareService::TransitionSupport, WelfareService::RetentionSupport],
                4 => vec![WelfareService::TransitionSupport],
                5 => vec![WelfareService::ContinuousSupportA],
                _ => vec![WelfareService::ContinuousSupportB],
            };
            b.add(
                AgencyKind::WelfareFacility,
                format!("{p}{s}{stem}{}", i + 1),
                format!("{pk}{sk}{kana}"),
                Some(&m),
                None,
                services,
                vec![],
            );
            if i % 1000 == 999 {
                progress.advance(1000);
            }
        }
        progress.advance(scale.facilities() as u64 % 1000);
        let agencies = std::mem::take(&mut b.agencies);
        for chunk in agencies.chunks(2_000) {
            self.app.store().insert_agencies(chunk).await.map_err(AppError::Store)?;
        }
        self.app.directory_changed();
        let mut logins = self.create_demo_staff(&agencies).await?;

        progress.phase("企業", scale.employers() as u64);
        let mut employers = Vec::with_capacity(5_000);
        let mut employers_developed = Vec::new();
        let mut offerers = Vec::with_capacity(scale.employers());
        let mut details = ChaCha8Rng::seed_from_u64(seed ^ 0x0E3A_1D0E);
        let mut written = 0;
        for i in 0..scale.employers() {
            let m = b.random_municipality();
            let (w1, k1) = EMPLOYER_WORDS[b.rng.random_range(0..EMPLOYER_WORDS.len())];
            let (w2, k2) = EMPLOYER_WORDS[b.rng.random_range(0..EMPLOYER_WORDS.len())];
            let (industry, _) = INDUSTRY_DIVISIONS[b.rng.random_range(0..INDUSTRY_DIVISIONS.len())];
            let workers = match b.rng.random_range(0..10) {
                0..=5 => b.rng.random_range(5..100),
                6..=8 => b.rng.random_range(100..1000),
                _ => b.rng.random_range(1000..20_000),
            };
            let id = b.id();
            if i < DEVELOPED_EMPLOYERS {
                employers_developed.push(EmployerId(id));
            }
            offerers.push(openings::Offerer {
                id: EmployerId(id),
                prefecture: m.code.prefecture().to_owned(),
                municipality: Some(m.code.clone()),
            });
            // Drawn from a generator of their own, so the rest of the demo stays as it was.
            let contact = |r: &mut ChaCha8Rng, role: &str| tsunagu_domain::employer::Contact {
                name: format!("{role} {}", people::FAMILY[r.random_range(0..people::FAMILY.len())].0),
                phone: Some(format!("03-0000-{:04}", r.random_range(0..10_000))),
                email: None,
            };
            let hiring_contact = Some(contact(&mut details, "人事部"));
            let workplace_contact = (details.random_range(0..3) == 0).then(|| contact(&mut details, "現場責任者"));
            employers.push(Employer {
                id: EmployerId(id),
                prefecture: m.code.prefecture().to_owned(),
                fields: EmployerFields {
                    // Base numbers 9000… keep demo 法人番号 clear of most real registrations.
                    corporate_number: CorporateNumber::from_base(900_000_000_000 + i as u64),
                    name: format!("株式会社{w1}{w2}{}", i + 1),
                    name_kana: format!("かぶしきがいしゃ{k1}{k2}"),
                    industry,
                    regular_workers: workers,
                    special_subsidiary: b.rng.random_range(0..50) == 0,
                    accepts_interns: details.random_range(0..4) == 0,
                    address: Some(format!("{}{}-{}", m.name, details.random_range(1..6), details.random_range(1..30))),
                    municipality: Some(m.code.clone()),
                    hiring_contact,
                    workplace_contact,
                },
                version: 1,
                updated_at: now,
            });
            if employers.len() == 5_000 {
                self.app.store().insert_employers(&employers).await.map_err(AppError::Store)?;
                written += employers.len();
                progress.advance(employers.len() as u64);
                employers.clear();
            }
        }
        self.app.store().insert_employers(&employers).await.map_err(AppError::Store)?;
        written += employers.len();
        progress.advance(employers.len() as u64);
        let first_employer = CorporateNumber::from_base(900_000_000_000).as_str().to_owned();
        let employer = self
            .app
            .store()
            .employer_ref(EmployerLookup::Number(first_employer))
            .await
            .map_err(AppError::Store)?
            .ok_or(AppError::NotFound)?
            .id;

        self.develop_employers(&employers_developed).await?;
        self.demo_openings(&offerers, scale, seed, now).await?;

        progress.phase("本人", scale.persons() as u64);
        let casework: Vec<CaseworkAgency> = agencies
            .iter()
            .filter(|a| CASEWORK_KINDS.contains(&a.fields.kind))
            .map(|a| CaseworkAgency {
                id: a.id,
                block: a
                    .fields
                    .block
                    .clone()
                    .or_else(|| Some(b.municipality(a.fields.municipality.as_ref()?.as_str())?.block.clone())),
                prefecture: a.prefecture.clone(),
            })
            .collect();
        let featured = first_of(&agencies, AgencyKind::MunicipalSupportCentre)
            .and_then(|id| casework.iter().find(|a| a.id == id).cloned())
            .ok_or(AppError::NotFound)?;
        let school = first_of(&agencies, AgencyKind::SpecialNeedsSchool)
            .and_then(|id| casework.iter().find(|a| a.id == id).cloned());
        let recorder = self.app.store().account_by_login("worker").await.map_err(AppError::Store)?.map(|a| a.id);
        let recorder = recorder.unwrap_or(AccountId(Uuid::nil()));
        // The persons are generated on a thread of their own while the loader writes the batch
        // before: on two cores the build then takes about as long as the slower of the two, not
        // their sum. One batch waits at most, so memory stays at two batches.
        let (sender, mut batches) = tokio::sync::mpsc::channel::<SeedBatch>(1);
        let mut rng = std::mem::replace(&mut b.rng, ChaCha8Rng::seed_from_u64(seed));
        let hirers: Vec<EmployerId> = offerers.iter().map(|o| o.id).collect();
        let generator = tokio::task::spawn_blocking(move || {
            let setting = PeopleSetting {
                hirers: &hirers,
                agencies: &casework,
                featured,
                featured_every: scale.featured_every(),
                school,
                employer: Some(employer),
                recorder,
                now,
            };
            generate_people(&mut rng, scale, &setting, &sender)
        });
        self.seeder.seeding().await.map_err(AppError::Store)?;
        let mut written_records = 0;
        while let Some(batch) = batches.recv().await {
            self.seeder.seed(&batch).await.map_err(AppError::Store)?;
            written_records += batch.support_records.len();
            progress.advance(batch.registrations.len() as u64);
        }
        let featured_persons = generator
            .await
            .map_err(|e| AppError::Store(tsunagu_store::StoreError::Backend(format!("demo generator: {e}").into())))?;
        self.seeder.seeded().await.map_err(AppError::Store)?;
        let employer_account = NewAccount {
            login: "employer".into(),
            display_name: "人事 担当".into(),
            password: DEMO_PASSWORD.into(),
            roles: vec![Role::EmployerUser],
            agency: None,
            person: None,
            employer: Some(employer),
        };
        self.app.create_account(employer_account).await?;
        logins.push(("employer".to_owned(), Role::EmployerUser));
        let (person, name) = featured_persons.own_record.ok_or(AppError::NotFound)?;
        let person_account = NewAccount {
            login: "person".into(),
            display_name: name,
            password: DEMO_PASSWORD.into(),
            roles: vec![Role::Person],
            agency: None,
            person: Some(person),
            employer: None,
        };
        self.app.create_account(person_account).await?;
        logins.push(("person".to_owned(), Role::Person));
        self.attach_consent_scan(person).await?;
        if let Some(intern) = featured_persons.intern {
            self.demo_internships(employer, intern, now).await?;
        }
        self.demo_fair(agencies.len(), seed).await?;
        self.demo_school(now).await?;
        self.demo_preferences(person).await?;
        self.demo_coaching(person).await?;
        self.demo_trials(person).await?;
        self.demo_rework(person).await?;
        self.demo_trywork(person).await?;
        self.demo_checklists(person).await?;
        self.demo_own_plan(person).await?;
        self.demo_work_samples(person).await?;
        self.demo_assessment(person).await?;
        self.demo_passport(person).await?;
        self.demo_quota(employer).await?;
        self.demo_events(person).await?;
        Ok(DemoSummary {
            agencies: agencies.len(),
            employers: written,
            persons: scale.persons(),
            support_records: written_records,
            logins,
        })
    }

    /// The demo person's consent form, scanned and attached by the worker whose agency holds their
    /// case (through the audited use case, as staff would).
    async fn attach_consent_scan(&self, person: PersonId) -> Result<(), AppError> {
        let store = self.app.store();
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let consents = store.consents_of(person).await.map_err(AppError::Store)?;
        let scan = DocumentInput {
            kind: DocumentKind::ConsentForm.code().into(),
            title: "同意書（署名済みの写し）".into(),
            consent: consents.first().map(|c| c.consent.id.0.to_string()).unwrap_or_default(),
            file_name: "同意書_スキャン.pdf".into(),
            content: DEMO_CONSENT_FORM,
        };
        self.app.attach_document(&worker, person, &scan).await.map(|_| ())
    }

    /// The worker opens three slots at the employer the demo's employer account belongs to — a
    /// tour three weeks ago, an internship next month, a tour next week — and places `person`, a
    /// client whose consent lets the employer learn of them, into the past tour and the
    /// internship, and records that they took part in the tour: all through the audited use cases.
    async fn demo_internships(
        &self,
        employer: EmployerId,
        person: PersonId,
        now: time::OffsetDateTime,
    ) -> Result<(), AppError> {
        use tsunagu_domain::internship::{OutcomeInput, SlotInput};
        let store = self.app.store();
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let today = tsunagu_app::clock::tokyo_date(now);
        let day = |days: i64| (today + time::Duration::days(days)).to_string();
        let slot = |kind: &str, title: &str, first: i64, last: i64, capacity: u16, note: &str| SlotInput {
            slot_kind: kind.into(),
            slot_title: title.into(),
            first_day: day(first),
            last_day: day(last),
            capacity: capacity.to_string(),
            slot_note: note.into(),
        };
        let past_tour = self
            .app
            .create_slot(&worker, employer, &slot("tour", "物流センターの見学", -21, -21, 6, "受付は正門横の守衛室"))
            .await?;
        let internship = self
            .app
            .create_slot(
                &worker,
                employer,
                &slot("internship", "ピッキング・検品の職場体験実習", 28, 32, 2, "動きやすい服装、上履き持参"),
            )
            .await?;
        self.app.create_slot(&worker, employer, &slot("tour", "事務センターの見学", 7, 7, 8, "")).await?;
        let toured = self.app.book(&worker, person, past_tour).await?;
        let outcome = OutcomeInput {
            outcome: "completed".into(),
            outcome_note: "倉庫内の動線を見て、検品の仕事に関心".into(),
            ..OutcomeInput::default()
        };
        self.app.record_outcome(&worker, person, toured, &outcome, 1).await?;
        self.app.book(&worker, person, internship).await.map(|_| ())
    }

    /// The teacher's school records the enrolment of the first fifteen persons of its caseload,
    /// as its staff would: nine students across the three years of two departments, and six who
    /// graduated last March — four of them, whose journey may move to 就職, hired on 1 April by the
    /// demo's employer — so that the students' list and program 3-2 have figures to show.
    async fn demo_school(&self, now: time::OffsetDateTime) -> Result<(), AppError> {
        use tsunagu_domain::journey::Stage;
        use tsunagu_domain::placement::PlacementInput;
        use tsunagu_domain::program::FiscalYear;
        use tsunagu_domain::school::{Department, EnrolmentInput};
        let store = self.app.store();
        let teacher = store.account_by_login("teacher").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let caseload = self.app.caseload(&teacher, &tsunagu_app::persons::CaseloadFilter::default(), 1).await?;
        let year = FiscalYear::of(tsunagu_app::clock::tokyo_date(now));
        let graduation = time::Date::from_calendar_date(year.0, time::Month::March, 13)
            .map_err(|e| AppError::Store(tsunagu_store::StoreError::Backend(e.to_string().into())))?;
        let employer = CorporateNumber::from_base(900_000_000_000).as_str().to_owned();
        let april = time::Date::from_calendar_date(year.0, time::Month::April, 1).unwrap_or(graduation);
        let mut hired = 0;
        for (i, entry) in caseload.entries.iter().take(15).enumerate() {
            let student = i < 9;
            let department = match i % 3 {
                2 if student => Department::VocationalDevelopment,
                _ => Department::EmploymentSkills,
            };
            let entered = if student { year.0 - (i / 3) as i32 } else { year.0 - 3 };
            let input = EnrolmentInput {
                department: department.code().into(),
                entered_year: entered.to_string(),
                graduated_on: if student { String::new() } else { graduation.to_string() },
            };
            self.app.record_enrolment(&teacher, entry.person, &input, None).await?;
            let may_be_hired = tsunagu_domain::journey::check_transition(entry.stage, Stage::Employed).is_ok();
            if !student && hired < 4 && may_be_hired && entry.opened_on <= april {
                let job = PlacementInput {
                    corporate_number: employer.clone(),
                    opening: String::new(),
                    job_title: "物流センターの検品".into(),
                    hired_on: april.to_string(),
                    weekly_hours: "30".into(),
                    employment_kind: "general".into(),
                };
                self.app.record_placement(&teacher, entry.person, &job, entry.stage).await?;
                hired += 1;
            }
        }
        Ok(())
    }

    /// The support worker records the job-search conditions of the first twelve persons of their
    /// caseload who seek work (the demo person's own record left for them to fill in): areas
    /// around 豊島区 where the worker's centre is, the accommodations they need and a note, so that
    /// matching from a person and from an opening has conditions to apply.
    async fn demo_preferences(&self, own: PersonId) -> Result<(), AppError> {
        use tsunagu_domain::preferences::PreferencesInput;
        const AREAS: [&[&str]; 4] =
            [&["131164", "131041", "131059"], &["131164", "131172", "131199"], &["131202", "131164", "131148"], &[]];
        const NEEDS: [&[&str]; 4] = [
            &["written_instructions"],
            &["job_coach", "quiet_place"],
            &["hospital_visits", "flexible_hours"],
            &["short_hours", "mentor", "rest_area"],
        ];
        const NOTES: [&str; 4] =
            ["通勤は電車で30分まで", "", "午前中の勤務を希望。通院は月2回（水曜）", "人の多い場所が苦手"];
        let worker =
            self.app.store().account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let caseload = self.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await?;
        let seekers =
            caseload.entries.iter().filter(|e| e.person != own && tsunagu_domain::journey::Stage::seeks_work(e.stage));
        for (i, entry) in seekers.take(12).enumerate() {
            let input = PreferencesInput {
                areas: AREAS[i % 4].iter().map(|a| (*a).to_owned()).collect(),
                needs: NEEDS[i % 4].iter().map(|n| (*n).to_owned()).collect(),
                note: NOTES[i % 4].to_owned(),
            };
            self.app.record_preferences(&worker, entry.person, &input, None).await?;
        }
        Ok(())
    }

    /// The coach's agency keeps two 訪問型 job coaches, the coach's own account one of them, and
    /// sends them to the first person of the support worker's caseload who has held a job for
    /// ten weeks (the demo person's own record left aside): the person consents to the coach's
    /// agency supporting them, the plan was agreed two months ago and is now in its transition
    /// phase, with the days worked since.
    async fn demo_coaching(&self, own_record: PersonId) -> Result<(), AppError> {
        use tsunagu_domain::coaching::{CoachInput, DayInput, DispatchInput};
        use tsunagu_domain::consent::ConsentInput;
        let store = self.app.store();
        let coach = store.account_by_login("coach").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let agency = coach.agency.ok_or(AppError::NotFound)?;
        let today = self.app.today();
        let day = |days: i64| (today + time::Duration::days(days)).to_string();
        let roster = |name: &str| CoachInput {
            coach_name: name.into(),
            coach_kind: "visiting".into(),
            active_from: day(-400),
            active_until: String::new(),
        };
        let own = self.app.save_coach(&coach, None, &roster("職場 支援"), None, true).await?;
        let other = self.app.save_coach(&coach, None, &roster("訪問 はるか"), None, false).await?;
        let caseload = self.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await?;
        for entry in caseload.entries.iter().filter(|e| e.person != own_record) {
            let jobs = store.placements_of(entry.person).await.map_err(AppError::Store)?;
            let Some(job) = jobs.iter().find(|j| j.is_open() && j.fields.starts_on <= today - time::Duration::days(70))
            else {
                continue;
            };
            let Some(employer) = store
                .employer_ref(tsunagu_store::EmployerLookup::Id(job.fields.employer))
                .await
                .map_err(AppError::Store)?
            else {
                continue;
            };
            let consent = ConsentInput {
                recipient_kind: "agency".into(),
                recipient_id: agency.0.to_string(),
                purposes: vec!["support".into(), "retention".into()],
                categories: vec!["basic".into(), "support".into(), "disability".into()],
                valid_from: day(-66),
                valid_to: String::new(),
                evidence: "paper_form".into(),
                evidence_note: "ジョブコーチ支援の同意書、原本はセンターで保管".into(),
            };
            self.app.record_consent(&worker, entry.person, &consent).await?;
            let employer = employer.corporate_number;
            let plan = DispatchInput {
                coaches: vec![own.0.to_string(), other.0.to_string()],
                starts_on: day(-60),
                intensive_until: day(-30),
                intensive_visits: "12".into(),
                transition_until: day(30),
                transition_visits: "4".into(),
                follow_up_until: day(210),
                follow_up_visits: "1".into(),
                person_agreed_on: day(-64),
                employer_agreed_on: day(-62),
                goals: "検品の手順を手順書を見ながら一人でこなし、困ったときに自分から上司に相談できる".into(),
                transition_began_on: day(-29),
                ..DispatchInput::default()
            };
            let dispatch = self.app.open_dispatch(&coach, entry.person, &plan, &employer).await?;
            let notes = [
                "手順書を一緒に作った",
                "ピッキングの動線を確認",
                "上司と面談、休憩の取り方を相談",
                "一人で検品できる範囲が広がった",
            ];
            for (i, back) in [58, 56, 53, 51, 49, 46, 44, 39, 32, 25, 18, 11, 4].into_iter().enumerate() {
                let input = DayInput {
                    coach: if i % 4 == 3 { other } else { own }.0.to_string(),
                    worked_on: day(-back),
                    duration: if back > 30 { "3:00" } else { "1:30" }.into(),
                    activities: if i % 3 == 0 {
                        vec!["tasks".into(), "employer_advice".into()]
                    } else {
                        vec!["tasks".into()]
                    },
                    day_note: notes[i % notes.len()].into(),
                };
                self.app.log_coach_day(&coach, dispatch, &input).await?;
            }
            break;
        }
        Ok(())
    }

    /// Trial employment arranged by Hello Work for two persons of the support worker's caseload
    /// with a mental or developmental disability and a job (the demo person's own record left
    /// aside), each consenting to Hello Work supporting them: one on the short-time course these
    /// last four months (or since the job began, if later), its hours logged week by week and falling behind the plan these last two
    /// weeks; the other's short-time trial of last year, ended with regular employment and its
    /// grant decided.
    async fn demo_trials(&self, own_record: PersonId) -> Result<(), AppError> {
        use tsunagu_domain::consent::ConsentInput;
        use tsunagu_domain::person::DisabilityCategory;
        use tsunagu_domain::trial::{GrantInput, TrialInput, WeekInput, hours_text};
        let store = self.app.store();
        let hellowork =
            store.account_by_login("hellowork").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let agency = hellowork.agency.ok_or(AppError::NotFound)?;
        let today = self.app.today();
        let day = |d: time::Date| d.to_string();
        let caseload = self.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await?;
        let mut done = 0;
        for entry in caseload.entries.iter().filter(|e| e.person != own_record) {
            let Some(file) = store.person_file(entry.person).await.map_err(AppError::Store)? else { continue };
            let categories = &file.person.fields.categories;
            if !categories.contains(&DisabilityCategory::Mental)
                && !categories.contains(&DisabilityCategory::Developmental)
            {
                continue;
            }
            let jobs = store.placements_of(entry.person).await.map_err(AppError::Store)?;
            let Some(job) =
                jobs.iter().find(|j| j.is_open() && j.fields.starts_on <= today - time::Duration::days(100))
            else {
                continue;
            };
            let Some(employer) = store
                .employer_ref(tsunagu_store::EmployerLookup::Id(job.fields.employer))
                .await
                .map_err(AppError::Store)?
            else {
                continue;
            };
            let consent = ConsentInput {
                recipient_kind: "agency".into(),
                recipient_id: agency.0.to_string(),
                purposes: vec!["support".into()],
                categories: vec!["basic".into(), "support".into(), "disability".into()],
                valid_from: day(job.fields.starts_on - time::Duration::days(30)),
                valid_to: String::new(),
                evidence: "paper_form".into(),
                evidence_note: "トライアル雇用の同意書、原本はハローワークで保管".into(),
            };
            self.app.record_consent(&worker, entry.person, &consent).await?;
            let start = if done == 0 {
                job.fields.starts_on.max(today - time::Duration::days(120))
            } else {
                today - time::Duration::days(400)
            };
            let at = |weeks: i64| start + time::Duration::weeks(weeks);
            let trial = TrialInput {
                course: "short_time".into(),
                job: job.fields.job_title.clone(),
                starts_on: day(start),
                planned_until: day(tsunagu_domain::coaching::add_months(start, 6) - time::Duration::days(1)),
                start_hours: "12".into(),
                rise_on: [day(at(6)), day(at(12)), day(at(18))],
                rise_hours: ["15".into(), "18".into(), "20".into()],
                ..TrialInput::default()
            };
            let employer = employer.corporate_number;
            if done == 0 {
                let id = self.app.open_trial(&hellowork, entry.person, &trial, &employer).await?;
                let stored = store.trial(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
                let mondays = stored.weeks_until(today);
                let last = mondays.len().saturating_sub(1);
                for (i, monday) in mondays.iter().enumerate().take(last) {
                    let planned = stored.planned_minutes(*monday);
                    // On plan, a week off with a cold, and short of the latest rise these two weeks.
                    let worked = match i {
                        4 => 0,
                        _ if i + 3 > last => planned.saturating_sub(180),
                        _ => planned,
                    };
                    let input = WeekInput { week_of: day(*monday), worked_hours: hours_text(worked) };
                    self.app.log_trial_week(&hellowork, id, &input).await?;
                }
            } else {
                let ended = tsunagu_domain::coaching::add_months(start, 6) - time::Duration::days(1);
                let finished = TrialInput {
                    trial_ended_on: day(ended),
                    outcome: "hired".into(),
                    outcome_note: "週20時間で安定して勤務。常用雇用に移行".into(),
                    ..trial
                };
                let id = self.app.open_trial(&hellowork, entry.person, &finished, &employer).await?;
                let grant = GrantInput {
                    decided_on: day(ended + time::Duration::days(40)),
                    grant_months: "6".into(),
                    grant_amount: "240000".into(),
                };
                self.app.record_grant(&hellowork, id, &grant, Some(1)).await?;
            }
            done += 1;
            if done == 2 {
                break;
            }
        }
        Ok(())
    }

    /// Returns to work coordinated by the 職業センター's counselor for three persons of the support
    /// worker's caseload with a job (the demo person's own record left aside), each consenting to
    /// the centre supporting them: one in the warm-up now, one whose doctor has yet to agree, and
    /// one back at work since the spring.
    async fn demo_rework(&self, own_record: PersonId) -> Result<(), AppError> {
        use tsunagu_domain::consent::ConsentInput;
        use tsunagu_domain::rework::ReturnPlanInput;
        let store = self.app.store();
        let counselor =
            store.account_by_login("counselor").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let agency = counselor.agency.ok_or(AppError::NotFound)?;
        let today = self.app.today();
        let day = |back: i64| (today - time::Duration::days(back)).to_string();
        let caseload = self.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await?;
        let mut done = 0;
        for entry in caseload.entries.iter().rev().filter(|e| e.person != own_record) {
            // Each plan's leave began this many days ago, in a job held for a month before it.
            let on_leave_since = [150, 80, 350][done];
            let jobs = store.placements_of(entry.person).await.map_err(AppError::Store)?;
            let held = today - time::Duration::days(on_leave_since + 30);
            let Some(job) = jobs.iter().find(|j| j.is_open() && j.fields.starts_on <= held) else {
                continue;
            };
            let Some(employer) = store
                .employer_ref(tsunagu_store::EmployerLookup::Id(job.fields.employer))
                .await
                .map_err(AppError::Store)?
            else {
                continue;
            };
            let consent = ConsentInput {
                recipient_kind: "agency".into(),
                recipient_id: agency.0.to_string(),
                purposes: vec!["support".into()],
                categories: vec!["basic".into(), "support".into(), "disability".into()],
                valid_from: day(on_leave_since),
                valid_to: String::new(),
                evidence: "paper_form".into(),
                evidence_note: "職場復帰支援の利用同意書、原本はセンターで保管".into(),
            };
            self.app.record_consent(&worker, entry.person, &consent).await?;
            let back = match done {
                0 => 0,
                1 => -40,
                _ => 200,
            };
            let at = |days: i64| day(days + back);
            let mut plan = ReturnPlanInput {
                employer_contact: "人事部 労務課 佐藤".into(),
                doctor: "みなとメンタルクリニック 山田医師".into(),
                leave_began_on: at(150),
                coordination_began_on: at(90),
                person_agreed_on: at(75),
                employer_agreed_on: at(72),
                doctor_agreed_on: at(70),
                agreed_activities: "週3日の通所から始め、4週ごとに通所日を増やす。12週で復職の判定を受ける。会社とは月1回、3者で面談する。".into(),
                rhythm_from: at(63),
                rhythm_until: at(36),
                stress_from: at(35),
                stress_until: at(8),
                adjustment_from: at(7),
                adjustment_until: at(-21),
                support_began_on: at(63),
                ..ReturnPlanInput::default()
            };
            match done {
                1 => {
                    // The doctor has not agreed yet: the warm-up has not begun.
                    plan.doctor_agreed_on = String::new();
                    plan.support_began_on = String::new();
                    plan.coordination_began_on = day(30);
                    plan.person_agreed_on = day(10);
                    plan.employer_agreed_on = day(6);
                    plan.leave_began_on = day(80);
                }
                2 => {
                    plan.returned_on = at(-22);
                    plan.return_ended_on = at(-22);
                    plan.return_outcome = "returned".into();
                    plan.return_note = "短時間勤務から復職。3か月は月1回の面談で様子を見る".into();
                }
                _ => {}
            }
            self.app.open_return_plan(&counselor, entry.person, &plan, &employer.corporate_number).await?;
            done += 1;
            if done == 3 {
                break;
            }
        }
        Ok(())
    }

    /// The support worker records three of her clients with a mental or developmental disability
    /// (the demo person's own record left aside) in the トライワークプロジェクト: one in the
    /// work-training course now, one back from leave through the return-work course last winter,
    /// one in the return-work course since the autumn.
    async fn demo_trywork(&self, own_record: PersonId) -> Result<(), AppError> {
        use tsunagu_domain::person::DisabilityCategory;
        use tsunagu_domain::trywork::ParticipationInput;
        let store = self.app.store();
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let today = self.app.today();
        let day = |back: i64| (today - time::Duration::days(back)).to_string();
        let plans = [
            ("work_training", "schizophrenia", 60, -120, None, ""),
            ("return_work", "depression", 330, 150, Some("completed"), "修了後、時短勤務で復職"),
            ("return_work", "autism", 75, -105, None, ""),
        ];
        let caseload = self.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await?;
        let mut plans = plans.into_iter();
        for entry in caseload.entries.iter().skip(3).filter(|e| e.person != own_record) {
            let Some(file) = store.person_file(entry.person).await.map_err(AppError::Store)? else { continue };
            let c = &file.person.fields.categories;
            if !c.contains(&DisabilityCategory::Mental) && !c.contains(&DisabilityCategory::Developmental) {
                continue;
            }
            let Some((course, track, from, until, outcome, note)) = plans.next() else { break };
            let input = ParticipationInput {
                trywork_course: course.into(),
                track: track.into(),
                starts_on: day(from),
                planned_until: day(until),
                trywork_ended_on: outcome.map(|_| day(until)).unwrap_or_default(),
                trywork_outcome: outcome.unwrap_or_default().into(),
                trywork_note: note.into(),
            };
            self.app.record_participation(&worker, entry.person, &input).await?;
        }
        Ok(())
    }

    /// Events of the coming weeks, through the use cases as staff would make them: the worker's
    /// job-hunting seminar, full with its waitlist (the demo person holds a seat, the coach waits);
    /// the 職業センター's topic seminar, held today, the worker attending; the staff training with the document's eleven subjects,
    /// the worker signed up; the 職業センター's liaison council; its advice to three agencies (7-2);
    /// and the worker's centre's medical-liaison coordinator (10-2).
    async fn demo_events(&self, own_record: PersonId) -> Result<(), AppError> {
        use tsunagu_domain::event::{EventInput, STAFF_TRAINING_CURRICULUM, Subject, curriculum_text};
        let store = self.app.store();
        let login = |name: &'static str| async move {
            store.account_by_login(name).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)
        };
        let (worker, coach, counselor) = (login("worker").await?, login("coach").await?, login("counselor").await?);
        let today = self.app.today();
        let day = |ahead: i64| (today + time::Duration::days(ahead)).to_string();
        let event = |kind: &str, series: &str, title: &str, audience: &[&str], days: &[i64], capacity: &str| {
            let first = days.first().copied().unwrap_or(0);
            let last = days.last().copied().unwrap_or(0);
            EventInput {
                event_kind: kind.into(),
                series: series.into(),
                event_title: title.into(),
                audience: audience.iter().map(|a| (*a).to_owned()).collect(),
                event_starts_on: day(first),
                event_ends_on: day(last),
                session_date: days.iter().map(|d| day(*d)).collect(),
                session_starts: days.iter().map(|_| "13:30".to_owned()).collect(),
                session_ends: days.iter().map(|_| "16:30".to_owned()).collect(),
                session_place: days.iter().map(|_| "としま産業振興プラザ 6階会議室".to_owned()).collect(),
                event_capacity: capacity.into(),
                opens_on: today.to_string(),
                closes_on: day((first - 1).max(0)),
                ..EventInput::default()
            }
        };
        let mut seminar = event(
            "seminar",
            "jobhunting_seminar",
            "障害者就活セミナー「面接で伝える自分の強み」",
            &["persons", "staff"],
            &[12],
            "3",
        );
        seminar.event_description =
            "面接で自分の得意なことと配慮してほしいことを伝える練習をします。\n支援者の同席もできます。".into();
        let seminar = self.app.create_event(&worker, &seminar).await?;
        self.app.sign_up_person(&worker, seminar, own_record).await?;
        let caseload = self.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await?;
        for entry in caseload.entries.iter().filter(|e| e.person != own_record).take(2) {
            self.app.sign_up_person(&worker, seminar, entry.person).await?;
        }
        self.app.sign_up_self(&coach, seminar).await?;

        let mut topic = event(
            "seminar",
            "topic_seminar",
            "就労支援課題別セミナー「アセスメントの視点を学ぶ」",
            &["staff"],
            &[0],
            "25",
        );
        // Held today, online: the worker attended and holds a certificate; the coach was absent.
        topic.session_place = vec!["https://meet.example.jp/tsunagu-topic-seminar".into()];
        topic.session_starts = vec!["09:30".into()];
        topic.session_ends = vec!["11:30".into()];
        let topic = self.app.create_event(&counselor, &topic).await?;
        let attended = self.app.sign_up_self(&worker, topic).await?;
        self.app.sign_up_self(&coach, topic).await?;
        self.app.record_attendance(&counselor, topic, 0, &[attended.signup.id]).await?;

        let mut training = event(
            "staff_training",
            "level_up",
            "障害者就労支援体制レベルアップ事業（従事者研修）第3回",
            &["staff"],
            &[30, 37, 44],
            "70",
        );
        training.curriculum = curriculum_text(
            &STAFF_TRAINING_CURRICULUM
                .iter()
                .map(|(t, d)| Subject { title: (*t).into(), description: (*d).into() })
                .collect::<Vec<_>>(),
        );
        let training = self.app.create_event(&counselor, &training).await?;
        self.app.sign_up_self(&worker, training).await?;

        // The centre's advice to agencies this year (7-2): to the worker's centre and two others.
        let index = self.app.directory().await?;
        let helped: Vec<_> = index
            .agencies()
            .iter()
            .filter(|a| matches!(a.kind, AgencyKind::MunicipalSupportCentre | AgencyKind::EmploymentLifeSupportCentre))
            .take(3)
            .map(|a| a.id)
            .collect();
        let advice = [
            (9, &["assessment"][..], "ワークサンプル幕張版の実施方法と、結果を本人と振り返る手順を説明した。"),
            (23, &["support_method", "employer_support"][..], "職場定着に向けた事業主への説明の組み立てを助言した。"),
            (41, &["coordination"][..], "医療機関との情報共有の進め方を助言した。"),
        ];
        for ((back, topics, note), agency) in advice.into_iter().zip(helped) {
            let input = tsunagu_domain::assistance::AssistanceInput {
                given_on: (today - time::Duration::days(back)).to_string(),
                helped_agency: agency.0.to_string(),
                topics: topics.iter().map(|t| (*t).to_owned()).collect(),
                given_by: counselor.display_name.clone(),
                assistance_note: note.into(),
            };
            self.app.record_assistance(&counselor, &input).await?;
        }

        // The worker's centre is a location of 10-2: its coordinator works with two clinics.
        let clinics: Vec<String> = index
            .agencies()
            .iter()
            .filter(|a| a.kind == AgencyKind::MedicalInstitution)
            .take(2)
            .map(|a| a.id.0.to_string())
            .collect();
        let coordinator = tsunagu_domain::liaison::CoordinatorInput {
            coordinator_name: "医療 連携".into(),
            serves_since: (today - time::Duration::days(200)).to_string(),
            institutions: clinics,
            coordinator_note: "医療機関向けの就労支援の説明会を年2回。相談窓口：火・木 10時〜16時".into(),
            ..Default::default()
        };
        self.app.record_coordinator(&worker, &coordinator).await?;

        let mut council = event(
            "council",
            "employment_council",
            "障害者雇用支援連絡協議会（本所）",
            &["staff", "medical"],
            &[40],
            "40",
        );
        council.agenda = "1 管内の障害者雇用の状況\n2 精神障害のある方の職場定着の取組\n3 意見交換".into();
        self.app.create_event(&counselor, &council).await?;
        Ok(())
    }

    /// The support worker began an assessment sheet with the demo person and wrote her side of a
    /// few items; the person's side waits for them, on their own pages.
    async fn demo_assessment(&self, own_record: PersonId) -> Result<(), AppError> {
        let store = self.app.store();
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let id = self.app.begin_assessment(&worker, own_record).await?;
        let answers = std::collections::BTreeMap::from([
            ("I-2".to_owned(), "事務補助。入力作業が正確".to_owned()),
            ("II-1".to_owned(), "手順書があれば一人で進められる".to_owned()),
            ("III-1".to_owned(), "職場の担当者を一人決めてもらうと安心".to_owned()),
        ]);
        self.app.answer_assessment(&worker, id, &answers, 1).await
    }

    /// The support worker and the demo person wrote her 就労パスポート together; she chose what
    /// goes in and left her health out.
    async fn demo_passport(&self, own_record: PersonId) -> Result<(), AppError> {
        let store = self.app.store();
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let person = store.account_by_login("person").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let mut answers = self.app.passport_view(&worker, own_record).await?.draft;
        answers.extend(
            [
                ("1-1", "就労移行支援事業所で、データ入力と書類の仕分けを1年間"),
                ("2-1", "手順を覚えると、丁寧に確かめながら正確に作業できる"),
                ("3-1", "月1回通院。服薬は朝と夜"),
                ("3-3", "週4日、1日6時間から。昼休みのほかに午後に10分休めると安心"),
                ("4-1", "口頭だけでなく、メモや手順書で伝えてもらえると分かりやすい"),
                ("5-2", "疲れてくると確認を忘れやすいので、チェック表を使っている"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
        );
        self.app.write_passport(&worker, own_record, &answers, None, Some(0)).await?;
        answers.insert("2-1".into(), "手順を覚えると、ていねいに確かめながら正確に作業できます".into());
        let shown = ["1", "2", "4", "5", "7"].map(str::to_owned);
        self.app.write_passport(&person, own_record, &answers, Some(&shown), Some(1)).await
    }

    /// The demo company keeps its quota roster: its regular workers as of April and October of
    /// this fiscal year, and four employees with disabilities (one of whom left in August).
    async fn demo_quota(&self, employer: tsunagu_domain::employer::EmployerId) -> Result<(), AppError> {
        use tsunagu_app::quota::RosterEdit;
        use tsunagu_domain::quota::{HeadcountInput, WorkerInput, fiscal_year_of};
        let store = self.app.store();
        let account = store.account_by_login("employer").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let year = fiscal_year_of(self.app.today());
        let month = |m: &str, full: &str, short: &str| HeadcountInput {
            month: format!("{year}-{m}"),
            full_time: full.into(),
            short_time: short.into(),
        };
        let worker = |label: &str, category: &str, hours: &str, from: &str, left: &str| WorkerInput {
            worker_label: label.into(),
            quota_category: category.into(),
            weekly_hours: hours.into(),
            employed_from: from.into(),
            left_on: left.into(),
        };
        let edit = RosterEdit::Replace {
            headcounts: vec![month("04", "230", "24"), month("10", "236", "22")],
            workers: vec![
                worker("社員 0412", "physical", "40", "2019-04-01", ""),
                worker("社員 1187", "severe_intellectual", "30", "2021-10-01", ""),
                worker("社員 2031", "mental", "20", "2025-07-01", ""),
                worker("社員 0930", "physical", "38.75", "2018-04-01", &format!("{year}-08-31")),
            ],
        };
        self.app.edit_quota_roster(&account, employer, 0, edit).await.map(|_| ())
    }

    /// The support worker's first client tried three work samples last month (the brief version)
    /// and trains on one of them now.
    async fn demo_work_samples(&self, own_record: PersonId) -> Result<(), AppError> {
        use tsunagu_domain::mws::MwsInput;
        let store = self.app.store();
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let caseload = self.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await?;
        let Some(entry) = caseload.entries.iter().find(|e| e.person != own_record) else { return Ok(()) };
        let today = self.app.today();
        let results = [
            (40, "brief", "数値入力", "2", "12", "11", "25", "見直しで誤りに気づけた"),
            (40, "brief", "ピッキング", "2", "6", "6", "20", ""),
            (39, "brief", "物品請求書作成", "1", "6", "4", "35", "単位の読み取りで迷う。メモを見ながらだと正確"),
            (5, "training", "物品請求書作成", "2", "6", "6", "30", "手順書を自分で作って使っている"),
        ];
        for (back, edition, task, level, trials, correct, minutes, notes) in results {
            let input = MwsInput {
                done_on: (today - time::Duration::days(back)).to_string(),
                edition: edition.into(),
                task: task.into(),
                level: level.into(),
                trials: trials.into(),
                correct: correct.into(),
                minutes: minutes.into(),
                mws_notes: notes.into(),
                ..MwsInput::default()
            };
            self.app.record_mws_result(&worker, entry.person, &input).await?;
        }
        Ok(())
    }

    /// The demo person's own record has a plan under way, which their own pages show: the support
    /// worker wrote it with them.
    async fn demo_own_plan(&self, own_record: PersonId) -> Result<(), AppError> {
        let store = self.app.store();
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let timeline = self.app.timeline(&worker, own_record).await?;
        if timeline.plans.iter().any(|p| p.outcome.is_none()) {
            return Ok(());
        }
        let input = tsunagu_domain::plan::PlanInput {
            goal: "事務の仕事で、週20時間から働き始める".into(),
            actions: "職場実習に2週間行く\n履歴書を一緒に書く\n面接の練習を2回する".into(),
            owner: "本人と支援員".into(),
            review_on: (self.app.today() + time::Duration::days(30)).to_string(),
        };
        self.app.create_plan(&worker, own_record, &input).await?;
        Ok(())
    }

    /// The support worker goes through the work-transition checklist with her first two clients
    /// (the demo person's own record left aside), four months ago and again last week: most
    /// items the same, getting up and greeting better, attendance one level down.
    async fn demo_checklists(&self, own_record: PersonId) -> Result<(), AppError> {
        use tsunagu_domain::checklist::{AnswerInput, ChecklistInput, items};
        let store = self.app.store();
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let today = self.app.today();
        let caseload = self.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await?;
        for (n, entry) in caseload.entries.iter().filter(|e| e.person != own_record).take(2).enumerate() {
            for (back, later) in [(120, false), (7, true)] {
                let answers = items()
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let base = 2 + (i + n) % 3;
                        let level = match (item.code, later) {
                            (_, _) if item.only_if_applicable && n == 1 => "na".to_owned(),
                            (_, _) if item.levels == 2 => "2".to_owned(),
                            ("I-1" | "II-1", true) => (base - 1).to_string(),
                            ("III-7", true) => (base + 1).min(5).to_string(),
                            _ => base.to_string(),
                        };
                        let comment = match (item.code, later) {
                            ("I-1", true) => "目覚ましを2つにして遅刻がなくなった",
                            ("III-5", _) => "終わったときの報告は声かけがあればできる",
                            _ => "",
                        };
                        (item.code.to_owned(), AnswerInput { rating: level, comment: comment.into() })
                    })
                    .collect();
                let input = ChecklistInput {
                    assessed_on: (today - time::Duration::days(back)).to_string(),
                    checklist_note: if later {
                        "次は報告の練習を職場実習で"
                    } else {
                        "生活リズムを整えるところから"
                    }
                    .into(),
                    answers,
                };
                self.app.record_checklist(&worker, entry.person, &input).await?;
            }
        }
        Ok(())
    }

    /// One staff account per role, each at a fitting agency, all with [`DEMO_PASSWORD`]. The
    /// employer's and the person's accounts follow once their records exist.
    /// An interview fair of the worker's agency two weeks ahead: twelve companies and the first
    /// welfare facilities, each asking for three to five of them, scheduled.
    /// The employers' openings, loaded in batches of 5,000.
    async fn demo_openings(
        &self,
        offerers: &[openings::Offerer],
        scale: DemoScale,
        seed: u64,
        now: time::OffsetDateTime,
    ) -> Result<(), AppError> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0E9E_2120);
        let larger = !matches!(scale, DemoScale::Demo);
        let mut batch = SeedBatch::default();
        for (i, employer) in offerers.iter().enumerate() {
            batch.openings.extend(openings::openings_of(&mut rng, employer, openings::count_for(i, larger), now));
            if batch.openings.len() >= 5_000 {
                self.seeder.seed(&std::mem::take(&mut batch)).await.map_err(AppError::Store)?;
            }
        }
        self.seeder.seed(&batch).await.map_err(AppError::Store)
    }

    /// The worker's centre, the teacher's school and the coach's agency record that they
    /// developed some of the first employers (開拓), through the audited path staff use; the
    /// middle ones by two of them.
    async fn develop_employers(&self, employers: &[EmployerId]) -> Result<(), AppError> {
        for (login, range) in [("worker", 0..12), ("teacher", 8..20), ("coach", 16..24)] {
            let Some(account) = self.app.store().account_by_login(login).await.map_err(AppError::Store)? else {
                continue;
            };
            for &employer in employers.get(range).unwrap_or_default() {
                self.app.link_employer(&account, employer, true).await?;
            }
        }
        Ok(())
    }

    async fn demo_fair(&self, agency_count: usize, seed: u64) -> Result<(), AppError> {
        use tsunagu_app::fairs::FairEdit;
        use tsunagu_domain::fair::FairHeaderInput;
        let store = self.app.store();
        let worker = store.account_by_login("worker").await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0xFA12);
        let date = self.app.today() + time::Duration::days(14);
        let header = FairHeaderInput {
            title: "企業と移行推進事業所との面談会".into(),
            date: date.to_string(),
            venue: "東京しごとセンター 5階 セミナー室".into(),
            starts: "13:30".into(),
            slot_minutes: "20".into(),
            slots: "6".into(),
        };
        let mut fair = self.app.create_fair(&worker, &header).await?;
        let mut companies = Vec::new();
        for i in 0..12u64 {
            let number = CorporateNumber::from_base(900_000_000_000 + i).as_str().to_owned();
            let desks = if i % 4 == 0 { "2" } else { "1" }.to_owned();
            let edit = FairEdit::Company { corporate_number: number, desks };
            fair = self.app.edit_fair(&worker, fair.id, fair.version, edit).await?;
            companies.push(fair.companies.last().map(|c| c.employer.0.to_string()).unwrap_or_default());
        }
        let index = self.app.directory().await?;
        let facilities: Vec<String> = index
            .agencies()
            .iter()
            .filter(|a| a.kind == AgencyKind::WelfareFacility && Some(a.id) != worker.agency)
            .take(24.min(agency_count))
            .map(|a| a.id.0.to_string())
            .collect();
        for agency in facilities {
            let n = rng.random_range(3..=5);
            let mut choices = companies.clone();
            for i in 0..n {
                let j = rng.random_range(i..choices.len());
                choices.swap(i, j);
            }
            choices.truncate(n);
            let wants = rng.random_range(2..=3).to_string();
            fair = self
                .app
                .edit_fair(&worker, fair.id, fair.version, FairEdit::Participant { agency, wants, choices })
                .await?;
        }
        self.app.edit_fair(&worker, fair.id, fair.version, FairEdit::Schedule).await?;
        Ok(())
    }

    async fn create_demo_staff(&self, agencies: &[Agency]) -> Result<Vec<(String, Role)>, AppError> {
        let first = |kind: AgencyKind| first_of(agencies, kind);
        let people = [
            ("admin", "管理 太郎", Role::SystemAdmin, first(AgencyKind::MetropolitanGovernment)),
            ("manager", "事業 所管", Role::ProgramManager, first(AgencyKind::MetropolitanGovernment)),
            ("coordinator", "城北 調整", Role::BlockCoordinator, first(AgencyKind::EmploymentLifeSupportCentre)),
            ("worker", "支援 花子", Role::SupportWorker, first(AgencyKind::MunicipalSupportCentre)),
            ("coach", "職場 支援", Role::JobCoach, first(AgencyKind::WelfareFacility)),
            ("counselor", "復職 支援", Role::JobCoach, first(AgencyKind::VocationalCentre)),
            ("teacher", "学校 先生", Role::SchoolStaff, first(AgencyKind::SpecialNeedsSchool)),
            ("hellowork", "職業 相談", Role::HelloWorkStaff, first(AgencyKind::HelloWork)),
        ];
        let mut logins = Vec::new();
        for (login, name, role, agency) in people {
            let new = NewAccount {
                login: login.into(),
                display_name: name.into(),
                password: DEMO_PASSWORD.into(),
                roles: vec![role],
                agency,
                person: None,
                employer: None,
            };
            self.app.create_account(new).await?;
            logins.push((login.to_owned(), role));
        }
        Ok(logins)
    }
}
