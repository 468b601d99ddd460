//! The program registry and the annual report.
//!
//! The registry ships with the program document's programs, indicators and history
//! (`data/programs.toml`: every result cell as written and each of its numbers as a figure) and is
//! written into a new database by [`App::prepare_database`]. The indicators Tsunagu counts from
//! its own records are registered in [`COMPUTED`], one definition each; every other indicator is
//! entered by the agency that owns the program.
//!
//! Only program managers and administrators see the report. It holds counts, never a person.

use serde::Deserialize;
use tsunagu_domain::account::{Account, Role};
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::counts::{Count, Measure};
use tsunagu_domain::directory::{AgencyKind, MunicipalityKind};
use tsunagu_domain::journey::SupportKind;
use tsunagu_domain::program::{
    Cell, Figure, FigureInput, FigureKind, FiscalYear, Indicator, Program, ProgramCode, ProgramInput, Registry, Report,
    Source, check_registry,
};

use crate::index::DirectoryIndex;
use crate::{App, AppError, PREFECTURE};

/// The program document's programs, indicators and history, as transcribed.
pub const PROGRAMS_TOML: &str = include_str!("../data/programs.toml");

/// The data file's shape (see its header for how it was transcribed).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramsFile {
    /// The viewpoints' titles.
    pub viewpoint: Vec<Heading>,
    /// The actions' titles.
    pub action: Vec<Heading>,
    /// Indicators.
    pub indicator: Vec<IndicatorRow>,
    /// Programs with their cells.
    pub program: Vec<ProgramRow>,
}

/// A viewpoint's or an action's number and title.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Heading {
    /// 視点 1–5 or 行動 1–10.
    pub number: u8,
    /// The title as the document writes it; empty where it gives none.
    pub title: String,
}

/// The titles of the document's viewpoints and actions, by number.
#[derive(Debug, Clone, Default)]
pub struct Headings {
    /// 視点.
    pub viewpoints: std::collections::BTreeMap<u8, String>,
    /// 行動.
    pub actions: std::collections::BTreeMap<u8, String>,
}

/// The document's titles of its viewpoints and actions.
pub fn headings() -> &'static Headings {
    static HEADINGS: std::sync::LazyLock<Headings> = std::sync::LazyLock::new(|| {
        let file = shipped_file().ok();
        let titles = |h: Option<&Vec<Heading>>| h.into_iter().flatten().map(|h| (h.number, h.title.clone())).collect();
        Headings {
            viewpoints: titles(file.as_ref().map(|f| &f.viewpoint)),
            actions: titles(file.as_ref().map(|f| &f.action)),
        }
    });
    &HEADINGS
}

/// An indicator as the data file writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorRow {
    code: String,
    program: String,
    name: String,
    unit: String,
    breakdown: String,
}

/// A program as the data file writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramRow {
    code: String,
    viewpoint: u8,
    action: u8,
    name: String,
    description: String,
    unit_price: String,
    scale: String,
    owner: String,
    implementer: String,
    repeats: String,
    ended: String,
    /// The program's four result cells.
    pub cell: Vec<CellRow>,
}

/// A result cell as the data file writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellRow {
    /// Its fiscal year.
    pub year: i32,
    /// `actual` (実績) or `plan` (取組と事業目標).
    column: String,
    /// Its text as the document writes it.
    pub text: String,
    /// The numbers of the text that are not figures (years, dates, item numbers).
    #[serde(default)]
    pub not_indicators: Vec<String>,
    /// Its figures.
    #[serde(default)]
    pub value: Vec<ValueRow>,
}

/// A figure as the data file writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueRow {
    /// The indicator.
    pub indicator: String,
    kind: String,
    /// The number.
    pub value: i64,
    /// The upper end of a range.
    #[serde(default)]
    pub max: Option<i64>,
    #[serde(default)]
    breakdown: String,
}

/// An indicator Tsunagu counts from its own records: the indicator (and the 【再掲】 copies of it
/// under other programs), its definition in plain words, and how it is counted.
pub struct Computed {
    /// The indicator's code and those of its copies.
    pub codes: &'static [&'static str],
    /// What is counted, in the words the report prints beside the figure.
    pub definition: &'static str,
    /// How it is counted.
    pub count: Counted,
}

/// Where a computed indicator's figures come from.
pub enum Counted {
    /// The directory as it stands: the current fiscal year's actual, as (breakdown, value), the
    /// total under an empty breakdown.
    Directory(fn(&DirectoryIndex) -> Vec<(String, i64)>),
    /// The journey's counts kept as records are written ([`tsunagu_domain::counts`]), of the
    /// agencies of `kind`: the actual of every fiscal year that has records, a support record's
    /// kind as the breakdown.
    Journey {
        /// What is counted.
        measure: Measure,
        /// Whose records.
        kind: AgencyKind,
    },
    /// The interview fairs held (scheduled, on or before today): per fiscal year of the fair's
    /// date, what `count` gives for each fair, summed.
    Fairs(fn(&tsunagu_domain::fair::Fair) -> i64),
    /// The internships and tours whose outcome is recorded: per fiscal year of the slot's first
    /// day, what `count` takes of that year's [`YearCounts`].
    Internships(fn(&YearCounts) -> i64),
    /// The same, of the slots agencies of a kind arranged.
    InternshipsArrangedBy(AgencyKind, fn(&YearCounts) -> i64),
    /// The companies agencies of a kind opened up: per fiscal year, those they recorded as
    /// developed that year or that offered them an internship or training starting that year,
    /// each once ([`companies_by_year`]).
    CompaniesOpenedUp(AgencyKind),
    /// The graduates of special-needs schools who found work, in percent: per fiscal year of
    /// graduation and per school and department ([`graduates_by_year`]).
    Graduates,
    /// Job coaching: per fiscal year with a day worked in it (and the current one, for the
    /// rosters), what `count` takes of that year's [`CoachingYear`], as (breakdown, value).
    Coaching(fn(&CoachingYear) -> Vec<(String, i64)>),
    /// Return to work: per fiscal year with a plan coordinated or supported in it, what `count`
    /// takes of that year's [`tsunagu_domain::rework::ReturnYear`], as (breakdown, value).
    ReturnToWork(fn(&tsunagu_domain::rework::ReturnYear) -> Vec<(String, i64)>),
    /// The トライワークプロジェクト's participants: per fiscal year, per course
    /// ([`tsunagu_domain::trywork::participants_by_year`]), the total first.
    TryWork,
    /// The grant decisions recorded on short-time trials: per fiscal year of the decision
    /// ([`tsunagu_domain::trial::short_time_grants_by_year`]).
    ShortTimeGrants,
    /// Events of a series of the document: per fiscal year of their first day, what `count`
    /// takes of that year's [`tsunagu_domain::event::SeriesYear`]
    /// ([`tsunagu_domain::event::series_years`]), as (breakdown, value).
    Events(tsunagu_domain::event::Series, fn(&tsunagu_domain::event::SeriesYear) -> Vec<(String, i64)>),
    /// Technical assistance to agencies: per fiscal year with a record, what `count` takes of
    /// that year's [`tsunagu_domain::assistance::AssistanceYear`], as (breakdown, value).
    Assistance(fn(&tsunagu_domain::assistance::AssistanceYear) -> Vec<(String, i64)>),
    /// The roster of medical-liaison coordinators: per fiscal year, what `count` takes of the
    /// coordinators who served at each location ([`tsunagu_domain::liaison::coordinator_years`]).
    Coordinators(fn(&std::collections::BTreeMap<tsunagu_domain::directory::AgencyId, i64>) -> i64),
}

/// What an events indicator counts of a year.
mod event_measures {
    use tsunagu_domain::event::SeriesYear;

    /// Events held.
    pub fn runs(y: &SeriesYear) -> Vec<(String, i64)> {
        vec![(String::new(), y.runs.values().sum())]
    }

    /// Events held, in all and per office of a 職業センター (本所, 支所) that held some.
    pub fn runs_by_office(y: &SeriesYear) -> Vec<(String, i64)> {
        let offices = y.runs.iter().filter(|(o, _)| !o.is_empty()).map(|(o, n)| (o.clone(), *n));
        runs(y).into_iter().chain(offices).collect()
    }

    /// Attendees.
    pub fn participants(y: &SeriesYear) -> Vec<(String, i64)> {
        vec![(String::new(), y.participants)]
    }

    /// The largest event's seats.
    pub fn capacity(y: &SeriesYear) -> Vec<(String, i64)> {
        vec![(String::new(), y.capacity)]
    }

    /// The longest event's sessions.
    pub fn days(y: &SeriesYear) -> Vec<(String, i64)> {
        vec![(String::new(), y.days)]
    }

    /// The agencies that held them.
    pub fn places(y: &SeriesYear) -> Vec<(String, i64)> {
        vec![(String::new(), y.organisers.len() as i64)]
    }
}

/// A computed indicator counted from events of a series; the definition names the series and
/// what is counted.
macro_rules! events_indicator {
    ($code:literal, $series:ident, $name:literal, runs) => {
        Computed {
            codes: &[$code],
            definition: concat!("「", $name, "」として登録された催しのうち、初日を迎えたものの数（初日の年度）。"),
            count: Counted::Events(tsunagu_domain::event::Series::$series, event_measures::runs),
        }
    };
    ($code:literal, $series:ident, $name:literal, runs_by_office) => {
        Computed {
            codes: &[$code],
            definition: concat!(
                "「",
                $name,
                "」として登録された催しのうち、初日を迎えたものの数（初日の年度。東京障害者職業センターの本所・支所別と合計）。"
            ),
            count: Counted::Events(tsunagu_domain::event::Series::$series, event_measures::runs_by_office),
        }
    };
    ($code:literal, $series:ident, $name:literal, participants) => {
        Computed {
            codes: &[$code],
            definition: concat!(
                "「",
                $name,
                "」の催しで、1回以上の出席が記録された参加者の数の合計（催しごとに数える。初日の年度）。"
            ),
            count: Counted::Events(tsunagu_domain::event::Series::$series, event_measures::participants),
        }
    };
    ($code:literal, $series:ident, $name:literal, capacity) => {
        Computed {
            codes: &[$code],
            definition: concat!("「", $name, "」の催しの定員のうち、最も大きいもの（初日の年度）。"),
            count: Counted::Events(tsunagu_domain::event::Series::$series, event_measures::capacity),
        }
    };
    ($code:literal, $series:ident, $name:literal, days) => {
        Computed {
            codes: &[$code],
            definition: concat!("「", $name, "」の催しの開催日数（回の数）のうち、最も多いもの（初日の年度）。"),
            count: Counted::Events(tsunagu_domain::event::Series::$series, event_measures::days),
        }
    };
    ($code:literal, $series:ident, $name:literal, places) => {
        Computed {
            codes: &[$code],
            definition: concat!("「", $name, "」を開いた機関の数（初日の年度）。"),
            count: Counted::Events(tsunagu_domain::event::Series::$series, event_measures::places),
        }
    };
}

use tsunagu_domain::coaching::YearFigures as CoachingYear;

/// The office of a 職業センター (本所, or 支所 when its name says so, as the seed writes them); none
/// for other agencies.
fn office_of(index: &DirectoryIndex, agency: tsunagu_domain::directory::AgencyId) -> Option<String> {
    index
        .agency(agency)
        .filter(|a| a.kind == AgencyKind::VocationalCentre)
        .map(|a| if a.name.contains("支所") { "支所" } else { "本所" }.to_owned())
}

/// Counts per office, with their total first (under an empty breakdown).
fn by_office(counts: &std::collections::BTreeMap<String, i64>) -> Vec<(String, i64)> {
    std::iter::once((String::new(), counts.values().sum())).chain(counts.iter().map(|(o, n)| (o.clone(), *n))).collect()
}

use tsunagu_domain::school::graduates_by_year;

use tsunagu_domain::internship::{YearCounts, companies_by_year, counts_by_year};

/// The figures of a fairs indicator: per fiscal year, the sum of `count` over the fairs of that
/// year that were scheduled and whose day has come.
pub fn fair_figures(
    code: &str,
    count: fn(&tsunagu_domain::fair::Fair) -> i64,
    fairs: &[tsunagu_domain::fair::Fair],
    today: time::Date,
) -> Vec<Figure> {
    let mut by_year: std::collections::BTreeMap<FiscalYear, i64> = std::collections::BTreeMap::new();
    for fair in fairs.iter().filter(|f| f.outcome.is_some() && f.header.date <= today) {
        *by_year.entry(FiscalYear::of(fair.header.date)).or_default() += count(fair);
    }
    actuals(code, by_year)
}

/// An indicator's actual figures, one per fiscal year, with no breakdown.
fn actuals(code: &str, by_year: impl IntoIterator<Item = (FiscalYear, i64)>) -> Vec<Figure> {
    by_year
        .into_iter()
        .map(|(year, value)| Figure {
            indicator: code.to_owned(),
            year,
            kind: FigureKind::Actual,
            breakdown: String::new(),
            value,
            max: None,
        })
        .collect()
}

/// The most fairs read for the report's counts.
const FAIRS_COUNTED: u32 = 100_000;

/// The municipalities of the directory that have a flag, in all and by ward, city, town and village.
fn municipalities_where(
    index: &DirectoryIndex,
    flag: fn(&tsunagu_domain::directory::Municipality) -> bool,
) -> Vec<(String, i64)> {
    let with: Vec<_> = index.references.municipalities.iter().filter(|m| flag(m)).collect();
    let mut counts = vec![(String::new(), with.len() as i64)];
    for (kind, label) in [
        (MunicipalityKind::SpecialWard, "区"),
        (MunicipalityKind::City, "市"),
        (MunicipalityKind::Town, "町"),
        (MunicipalityKind::Village, "村"),
    ] {
        let n = with.iter().filter(|m| m.kind == kind).count() as i64;
        if n > 0 {
            counts.push((label.to_owned(), n));
        }
    }
    counts
}

/// Every indicator Tsunagu computes. Adding one is adding an entry here.
pub const COMPUTED: &[Computed] = &[
    Computed {
        codes: &["1-1.municipalities", "2-1.municipalities"],
        definition: "ディレクトリで「区市町村障害者就労支援センターを実施」とされている区市町村の数（区・市・町・村別）。",
        count: Counted::Directory(|index| municipalities_where(index, |m| m.runs_support_centre)),
    },
    Computed {
        codes: &["1-2.centres", "2-2.centres"],
        definition: "ディレクトリに登録されている障害者就業・生活支援センターの数。",
        count: Counted::Directory(|index| {
            let n = index.agencies().iter().filter(|a| a.kind == AgencyKind::EmploymentLifeSupportCentre).count();
            vec![(String::new(), n as i64)]
        }),
    },
    Computed {
        codes: &["6-1.municipalities"],
        definition: "ディレクトリで「地域開拓促進コーディネーターを設置」とされている区市町村の数（区・市・町・村別）。",
        count: Counted::Directory(|index| municipalities_where(index, |m| m.has_development_coordinator)),
    },
    Computed {
        codes: &["6-2.matching_sessions"],
        definition: "つなぐで時間割を作った面談会のうち、開催日を迎えたものの数（開催日の年度）。",
        count: Counted::Fairs(|_| 1),
    },
    Computed {
        codes: &["6-2.matching_companies"],
        definition: "開催日を迎えた面談会の参加企業数の合計（開催日の年度）。",
        count: Counted::Fairs(|f| f.companies.len() as i64),
    },
    Computed {
        codes: &["6-2.matching_agencies"],
        definition: "開催日を迎えた面談会の参加機関数の合計（開催日の年度）。",
        count: Counted::Fairs(|f| f.participants.len() as i64),
    },
    Computed {
        codes: &["6-2.matching_interviews"],
        definition: "開催日を迎えた面談会の時間割にある面談の数（開催日の年度）。",
        count: Counted::Fairs(|f| f.meetings.len() as i64),
    },
    Computed {
        codes: &["5-2.internship_insurance", "9-6.internship_insurance"],
        definition: "職場体験実習・現場実習に参加した人のうち、保険料補助を記録したものの数（実習初日の年度）。",
        count: Counted::Internships(|c| c.insurance_subsidies),
    },
    Computed {
        codes: &["5-2.internship_grants", "9-6.internship_grants"],
        definition: "職場体験実習・現場実習に参加した人のうち、受入れ企業への助成金を記録したものの数（実習初日の年度）。",
        count: Counted::Internships(|c| c.employer_grants),
    },
    Computed {
        codes: &["5-2.company_visits", "9-6.company_visits"],
        definition: "企業見学の枠に参加した人の数（見学日の年度、欠席・辞退を除く）。",
        count: Counted::Internships(|c| c.tours),
    },
    Computed {
        codes: &["6-2.workplace_trainees"],
        definition: "ハローワークが設けた職場体験実習・現場実習の枠に参加した人の数（実習初日の年度、欠席・辞退を除く）。",
        count: Counted::InternshipsArrangedBy(AgencyKind::HelloWork, |c| c.internships),
    },
    Computed {
        codes: &["6-2.site_visit_participants"],
        definition: "ハローワークが設けた企業見学の枠に参加した人の数（見学日の年度、欠席・辞退を除く）。",
        count: Counted::InternshipsArrangedBy(AgencyKind::HelloWork, |c| c.tours),
    },
    Computed {
        codes: &["3-1.companies"],
        definition: "特別支援学校が開拓した企業（開拓を記録した日の年度）と、特別支援学校が設けた職場体験実習・現場実習の枠の企業（実習初日の年度）を合わせ、重複を除いた数。企業見学の枠は数えない。",
        count: Counted::CompaniesOpenedUp(AgencyKind::SpecialNeedsSchool),
    },
    Computed {
        codes: &["3-2.employment_rate"],
        definition: "特別支援学校が卒業を記録した生徒のうち、卒業日の前後92日以内に一般就労（特例子会社を含み、就労継続支援A型を除く）を始めた人の割合（%、四捨五入。卒業日の年度、学校・学科別）。",
        count: Counted::Graduates,
    },
    Computed {
        codes: &["9-1.jobcoaches"],
        definition: "つなぐの名簿にある東京ジョブコーチのうち、年度末（今年度は今日）に活動している人数。",
        count: Counted::Coaching(|f| vec![(String::new(), f.tokyo_coaches)]),
    },
    Computed {
        codes: &["9-1.support_cases"],
        definition: "東京ジョブコーチが年度内に1日以上支援した派遣（支援計画）の件数。",
        count: Counted::Coaching(|f| vec![(String::new(), f.tokyo_cases)]),
    },
    Computed {
        codes: &["9-1.working_days"],
        definition: "東京ジョブコーチの稼働日の延べ数（コーチ1人の1日を1日とし、同じ日に複数の支援をしても1日）。",
        count: Counted::Coaching(|f| vec![(String::new(), f.tokyo_days)]),
    },
    Computed {
        codes: &["9-3.jobcoach_support"],
        definition: "東京障害者職業センター（本所・支所）の配置型・訪問型ジョブコーチが年度内に1日以上支援した、精神障害のある人の数（本所・支所別と合計）。",
        count: Counted::Coaching(|f| by_office(&f.mental_by_office)),
    },
    Computed {
        codes: &["9-2.return_coordination"],
        definition: "東京障害者職業センター（本所・支所）が職場復帰支援（リワーク）の計画で、年度内に職場復帰のコーディネート（本人・会社・主治医の合意形成まで）をした人の数（本所・支所別と合計）。",
        count: Counted::ReturnToWork(|y| by_office(&y.coordination)),
    },
    Computed {
        codes: &["9-2.rework_support"],
        definition: "東京障害者職業センター（本所・支所）で、年度内に職場復帰に向けたウォーミングアップ（リワーク支援）を受けた人の数（本所・支所別と合計）。",
        count: Counted::ReturnToWork(|y| by_office(&y.support)),
    },
    Computed {
        codes: &["9-4.participants"],
        definition: "トライワークプロジェクトへの参加が記録された人の数（年度内に参加期間がある人。コース別と合計、同じコースに同じ年度で2回参加しても1名）。",
        count: Counted::TryWork,
    },
    Computed {
        codes: &["9-5.grant_decisions"],
        definition: "障害者短時間トライアルコースのトライアル雇用について、ハローワークが記録した助成金の支給決定の件数（決定日の年度）。",
        count: Counted::ShortTimeGrants,
    },
    events_indicator!("7-1.sessions", LevelUp, "障害者就労支援体制レベルアップ事業（従事者研修）", runs),
    events_indicator!("7-1.participants", LevelUp, "障害者就労支援体制レベルアップ事業（従事者研修）", participants),
    events_indicator!("7-1.course_days", LevelUp, "障害者就労支援体制レベルアップ事業（従事者研修）", days),
    Computed {
        codes: &["7-2.advice_cases"],
        definition: "東京障害者職業センター（本所・支所）が就労支援機関に行った技術的な助言・援助として記録した件数（助言した日の年度。本所・支所別と合計）。",
        count: Counted::Assistance(|y| by_office(&y.cases)),
    },
    Computed {
        codes: &["7-2.advised_agencies"],
        definition: "東京障害者職業センター（本所・支所）が技術的な助言・援助を行った就労支援機関の数（助言した日の年度。同じ機関は1つと数え、本所・支所別と合計。本所と支所の両方が助言した機関は合計で1つ）。",
        count: Counted::Assistance(|y| {
            let every: std::collections::BTreeSet<_> = y.agencies.values().flatten().collect();
            std::iter::once((String::new(), every.len() as i64))
                .chain(y.agencies.iter().map(|(o, a)| (o.clone(), a.len() as i64)))
                .collect()
        }),
    },
    Computed {
        codes: &["10-2.coordinator_locations"],
        definition: "医療連携コーディネーターの名簿で、年度内にコーディネーターが1名以上いた機関（か所）の数。",
        count: Counted::Coordinators(|locations| locations.len() as i64),
    },
    Computed {
        codes: &["10-2.coordinators_per_location"],
        definition: "医療連携コーディネーターの名簿で、年度内のコーディネーターの数が最も少ない機関（か所）の人数（各か所にこの人数以上を配置）。",
        count: Counted::Coordinators(|locations| locations.values().copied().min().unwrap_or(0)),
    },
    events_indicator!("7-2.basic_training_sessions", BasicTraining, "就業支援基礎研修", runs),
    events_indicator!("7-2.basic_training_scale", BasicTraining, "就業支援基礎研修", capacity),
    events_indicator!("7-2.practical_training_sessions", PracticalTraining, "就業支援実践研修", runs),
    events_indicator!("7-2.practical_training_scale", PracticalTraining, "就業支援実践研修", capacity),
    events_indicator!("7-2.topic_seminar_sessions", TopicSeminar, "就労支援課題別セミナー", runs_by_office),
    events_indicator!("7-2.topic_seminar_scale", TopicSeminar, "就労支援課題別セミナー", capacity),
    // 8-1 reports the same 就労支援課題別セミナー (its theme: assessment methods and tools) with the
    // same figures as 7-2 in every year of the document.
    events_indicator!("8-1.seminar_sessions", TopicSeminar, "就労支援課題別セミナー", runs_by_office),
    events_indicator!("8-1.seminar_scale", TopicSeminar, "就労支援課題別セミナー", capacity),
    events_indicator!("7-2.jobcoach_training_sessions", JobcoachTraining, "ジョブコーチ養成研修", runs),
    events_indicator!("7-2.jobcoach_training_scale", JobcoachTraining, "ジョブコーチ養成研修", capacity),
    events_indicator!(
        "7-2.followup_training_sessions",
        FollowupTraining,
        "修了者サポート研修・支援スキル向上研修サポート研修",
        runs
    ),
    events_indicator!(
        "7-2.followup_training_scale",
        FollowupTraining,
        "修了者サポート研修・支援スキル向上研修サポート研修",
        capacity
    ),
    events_indicator!("7-3.matching_training_sessions", MatchingTraining, "マッチングスキル等向上研修", runs),
    events_indicator!(
        "7-3.matching_training_participants",
        MatchingTraining,
        "マッチングスキル等向上研修",
        participants
    ),
    events_indicator!("7-3.matching_training_capacity", MatchingTraining, "マッチングスキル等向上研修", capacity),
    events_indicator!("7-3.matching_training_days", MatchingTraining, "マッチングスキル等向上研修", days),
    events_indicator!("7-3.retention_training_sessions", RetentionTraining, "定着支援研修", runs),
    events_indicator!("7-3.retention_training_participants", RetentionTraining, "定着支援研修", participants),
    events_indicator!("7-3.retention_training_capacity", RetentionTraining, "定着支援研修", capacity),
    events_indicator!("7-3.retention_training_days", RetentionTraining, "定着支援研修", days),
    events_indicator!("7-3.medical_training_sessions", MedicalTraining, "医療機関連携スキル向上研修", runs),
    events_indicator!("7-3.medical_training_participants", MedicalTraining, "医療機関連携スキル向上研修", participants),
    events_indicator!("7-3.medical_training_capacity", MedicalTraining, "医療機関連携スキル向上研修", capacity),
    events_indicator!("7-3.medical_training_days", MedicalTraining, "医療機関連携スキル向上研修", days),
    events_indicator!("6-2.seminar_sessions", EmploymentSeminar, "就労支援セミナー", runs),
    events_indicator!("6-2.seminar_participants", EmploymentSeminar, "就労支援セミナー", participants),
    events_indicator!("6-2.site_visit_sessions", SiteVisit, "事業所見学会", runs),
    events_indicator!("6-2.liaison_meetings", LabourLiaison, "東京労働局の連絡会議", runs),
    events_indicator!("10-1.meetings", EmploymentCouncil, "障害者雇用支援連絡協議会", runs_by_office),
    events_indicator!("10-2.liaison_meetings", MentalLiaison, "精神障害者就労定着支援連絡会", runs),
    events_indicator!("10-2.liaison_locations", MentalLiaison, "精神障害者就労定着支援連絡会", places),
    events_indicator!("5-2.exchange_meetings", ExchangeMeeting, "就労支援機関との意見交換会", runs),
    events_indicator!("5-2.awareness_seminars", AwarenessSeminar, "普及啓発セミナー（企業向け）", runs),
    events_indicator!("5-2.subsidiary_seminars", SubsidiarySeminar, "特例子会社セミナー", runs),
    events_indicator!("5-2.consultation_fairs", ConsultationFair, "就業総合相談会", runs),
    events_indicator!("5-2.parent_seminars", ParentSeminar, "保護者向けセミナー", runs),
    events_indicator!("5-2.medical_seminars", MedicalSeminar, "医療機関向けセミナー", runs),
    events_indicator!("5-2.jobhunting_seminars", JobhuntingSeminar, "障害者就活セミナー", runs),
    events_indicator!("5-2.practical_courses", PracticalCourse, "障害者雇用実務講座", runs),
    events_indicator!("5-2.university_seminars", UniversitySeminar, "大学等と連携したセミナー", runs),
    Computed {
        codes: &["2-1.placements"],
        definition: "区市町村障害者就労支援センターが記録した「就職」への段階変更の数（変更日の年度）。",
        count: Counted::Journey { measure: Measure::Placements, kind: AgencyKind::MunicipalSupportCentre },
    },
    Computed {
        codes: &["2-1.separations"],
        definition: "区市町村障害者就労支援センターが記録した「離職」への段階変更の数（変更日の年度）。",
        count: Counted::Journey { measure: Measure::Separations, kind: AgencyKind::MunicipalSupportCentre },
    },
    Computed {
        codes: &["2-1.support_records"],
        definition: "区市町村障害者就労支援センターの支援記録の件数（支援日の年度、支援の種類別）。",
        count: Counted::Journey { measure: Measure::SupportRecords, kind: AgencyKind::MunicipalSupportCentre },
    },
    Computed {
        codes: &["2-1.referrals"],
        definition: "区市町村障害者就労支援センターが他の機関へ送った紹介の件数（送付日の年度）。",
        count: Counted::Journey { measure: Measure::Referrals, kind: AgencyKind::MunicipalSupportCentre },
    },
    Computed {
        codes: &["2-2.placements"],
        definition: "障害者就業・生活支援センターが記録した「就職」への段階変更の数（変更日の年度）。",
        count: Counted::Journey { measure: Measure::Placements, kind: AgencyKind::EmploymentLifeSupportCentre },
    },
    Computed {
        codes: &["2-2.separations"],
        definition: "障害者就業・生活支援センターが記録した「離職」への段階変更の数（変更日の年度）。",
        count: Counted::Journey { measure: Measure::Separations, kind: AgencyKind::EmploymentLifeSupportCentre },
    },
    Computed {
        codes: &["2-2.support_records"],
        definition: "障害者就業・生活支援センターの支援記録の件数（支援日の年度、支援の種類別）。",
        count: Counted::Journey { measure: Measure::SupportRecords, kind: AgencyKind::EmploymentLifeSupportCentre },
    },
    Computed {
        codes: &["2-2.referrals"],
        definition: "障害者就業・生活支援センターが他の機関へ送った紹介の件数（送付日の年度）。",
        count: Counted::Journey { measure: Measure::Referrals, kind: AgencyKind::EmploymentLifeSupportCentre },
    },
];

/// The figures of a journey indicator: per fiscal year the total (empty breakdown) and, for
/// support records, one per kind under its Japanese name, from `counts`.
pub fn journey_figures(code: &str, measure: Measure, kind: AgencyKind, counts: &[Count<AgencyKind>]) -> Vec<Figure> {
    let mut by_year: std::collections::BTreeMap<(FiscalYear, String), i64> = std::collections::BTreeMap::new();
    for c in counts.iter().filter(|c| c.measure == measure && c.by == kind) {
        *by_year.entry((c.year, String::new())).or_default() += c.value;
        if !c.breakdown.is_empty() {
            let name = SupportKind::parse(&c.breakdown).map_or_else(|| c.breakdown.clone(), |k| k.name_ja().to_owned());
            *by_year.entry((c.year, name)).or_default() += c.value;
        }
    }
    by_year
        .into_iter()
        .map(|((year, breakdown), value)| Figure {
            indicator: code.to_owned(),
            year,
            kind: FigureKind::Actual,
            breakdown,
            value,
            max: None,
        })
        .collect()
}

/// The computed entry of an indicator, if it is computed.
pub fn computed(code: &str) -> Option<&'static Computed> {
    COMPUTED.iter().find(|c| c.codes.contains(&code))
}

fn invalid(what: &str) -> AppError {
    AppError::Store(tsunagu_store::StoreError::Backend(format!("programs.toml: {what}").into()))
}

/// Reads the shipped data file.
pub fn shipped_file() -> Result<ProgramsFile, AppError> {
    toml::from_str(PROGRAMS_TOML).map_err(|e| invalid(&e.to_string()))
}

/// The registry as shipped: the document's programs, indicators (those in [`COMPUTED`] marked
/// computed), cells and figures.
pub fn shipped_registry() -> Result<Registry, AppError> {
    let file = shipped_file()?;
    let code = |raw: &str| ProgramCode::parse(raw).ok_or_else(|| invalid(&format!("program code {raw:?}")));
    let indicators = file
        .indicator
        .iter()
        .map(|i| {
            Ok(Indicator {
                code: i.code.clone(),
                program: code(&i.program)?,
                name: i.name.clone(),
                unit: i.unit.clone(),
                breakdown: i.breakdown.clone(),
                source: if computed(&i.code).is_some() { Source::Computed } else { Source::Entered },
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let mut programs = Vec::new();
    let mut cells = Vec::new();
    let mut figures = Vec::new();
    for p in &file.program {
        let program_code = code(&p.code)?;
        programs.push(Program {
            code: program_code.clone(),
            viewpoint: p.viewpoint,
            action: p.action,
            name: p.name.clone(),
            description: p.description.clone(),
            unit_price: p.unit_price.clone(),
            scale: p.scale.clone(),
            owner: p.owner.clone(),
            implementer: p.implementer.clone(),
            repeats: if p.repeats.is_empty() { None } else { Some(code(&p.repeats)?) },
            ended: p.ended.clone(),
        });
        for c in &p.cell {
            let kind = match FigureKind::parse(&c.column) {
                Some(k @ (FigureKind::Actual | FigureKind::Plan)) => k,
                _ => return Err(invalid(&format!("cell column {:?}", c.column))),
            };
            cells.push(Cell { program: program_code.clone(), year: FiscalYear(c.year), kind, text: c.text.clone() });
            for v in &c.value {
                let kind = FigureKind::parse(&v.kind).ok_or_else(|| invalid(&format!("figure kind {:?}", v.kind)))?;
                figures.push(Figure {
                    indicator: v.indicator.clone(),
                    year: FiscalYear(c.year),
                    kind,
                    breakdown: v.breakdown.clone(),
                    value: v.value,
                    max: v.max,
                });
            }
        }
    }
    let registry = Registry { programs, indicators, cells, figures };
    check_registry(&registry).map_err(|p| invalid(&format!("{:?}", p.iter().map(|p| p.code).collect::<Vec<_>>())))?;
    Ok(registry)
}

/// The report with what it needs beside it: the definitions of the computed indicators, and
/// which year the computed figures are of.
#[derive(Debug, Clone)]
pub struct AnnualReport {
    /// The report.
    pub report: Report,
    /// The fiscal year of today, whose actuals the computed indicators give (so far).
    pub current: FiscalYear,
    /// The years that can be asked for: those with a document cell or a figure, and the current one.
    pub years: Vec<FiscalYear>,
}

/// A journey count kept that the records do not give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountDisagreement {
    /// The indicators that read the count (none when no indicator reads that kind of agency).
    pub indicators: Vec<&'static str>,
    /// Whose count: a kind of agency (what the report reads) or one agency (its own count).
    pub whose: String,
    /// The disagreement.
    pub counts: tsunagu_domain::counts::Disagreement<String>,
}

/// What `tsunagu report --verify` found.
#[derive(Debug, Clone, Default)]
pub struct CountCheck {
    /// How many counts were compared (per kind of agency and per agency).
    pub compared: usize,
    /// Every count that disagrees.
    pub disagreements: Vec<CountDisagreement>,
}

/// The journey indicators that read `measure` of agencies of `kind`.
fn indicators_of(measure: Measure, kind: AgencyKind) -> Vec<&'static str> {
    COMPUTED
        .iter()
        .filter(|c| matches!(c.count, Counted::Journey { measure: m, kind: k } if m == measure && k == kind))
        .flat_map(|c| c.codes.iter().copied())
        .collect()
}

/// The last few workbooks written, each with the report it was written from: a workbook takes
/// three times as long to write as the report takes to lay out (about 6 ms against 2), and is
/// the same file for the same report, so a report that has not changed since is not written
/// again. Compared whole, not by a hash: two reports are equal or the workbook is written anew.
#[derive(Debug, Default)]
pub(crate) struct Workbooks(std::collections::VecDeque<(Report, Vec<u8>)>);

impl Workbooks {
    /// As many as a few years' reports asked for by turns.
    const KEPT: usize = 4;

    fn find(&self, report: &Report) -> Option<Vec<u8>> {
        self.0.iter().find(|(r, _)| r == report).map(|(_, bytes)| bytes.clone())
    }

    fn keep(&mut self, report: Report, bytes: Vec<u8>) {
        self.0.retain(|(r, _)| r.year != report.year);
        if self.0.len() == Self::KEPT {
            self.0.pop_front();
        }
        self.0.push_back((report, bytes));
    }
}

impl App {
    /// Recounts the journey's counts of fiscal `year` (every year if `None`) from the records and
    /// compares them with those kept as the records were written: per agency, and per kind of
    /// agency as each agency is now — what the annual report reads.
    pub async fn verify_report_counts(&self, year: Option<FiscalYear>) -> Result<CountCheck, AppError> {
        use tsunagu_domain::counts::{by_kind, disagreements};
        let recount = self.store.journey_recount(PREFECTURE, year).await.map_err(AppError::Store)?;
        let index = self.directory().await?;
        let kind_of = |id| index.agencies().iter().find(|a| a.id == id).map(|a| a.kind);
        let mut check = CountCheck {
            compared: recount.kept_by_kind.len() + recount.kept_by_agency.len(),
            disagreements: Vec::new(),
        };
        let recounted_by_kind = by_kind(&recount.recounted_by_agency, kind_of);
        for d in disagreements(&recount.kept_by_kind, &recounted_by_kind) {
            check.disagreements.push(CountDisagreement {
                indicators: indicators_of(d.measure, d.by),
                whose: d.by.name_ja().to_owned(),
                counts: d.map(|k| k.code().to_owned()),
            });
        }
        for d in disagreements(&recount.kept_by_agency, &recount.recounted_by_agency) {
            let indicators = kind_of(d.by).map(|k| indicators_of(d.measure, k)).unwrap_or_default();
            check.disagreements.push(CountDisagreement {
                indicators,
                whose: format!("agency {}", d.by.0),
                counts: d.map(|a| a.0.to_string()),
            });
        }
        Ok(check)
    }

    /// Program managers and administrators see the registry and the report.
    pub fn may_see_programs(actor: &Account) -> bool {
        actor.roles.iter().any(|r| matches!(r, Role::ProgramManager | Role::SystemAdmin))
    }

    /// Writes the shipped registry into a database that has none.
    pub(crate) async fn seed_programs(&self) -> Result<(), AppError> {
        if self.store.registry().await.map_err(AppError::Store)?.programs.is_empty() {
            self.store.insert_registry(&shipped_registry()?).await.map_err(AppError::Store)?;
        }
        Ok(())
    }

    /// The registry with the computed indicators' figures added: the directory's for the current
    /// fiscal year, the journey's for every year it has records of (each replacing any figure
    /// entered for the same year).
    async fn registry_with_computed(&self) -> Result<(Registry, FiscalYear), AppError> {
        let mut registry = self.store.registry().await.map_err(AppError::Store)?;
        let current = FiscalYear::of(self.today());
        let index = self.directory().await?;
        let counts = self.store.journey_counts(PREFECTURE).await.map_err(AppError::Store)?;
        let fairs = self.store.fairs(FAIRS_COUNTED).await.map_err(AppError::Store)?;
        let outcomes = self.store.booking_outcomes().await.map_err(AppError::Store)?;
        let internships = counts_by_year(outcomes.iter().map(|(slot, booking)| (slot, booking)));
        let mut coaching = None;
        let mut events = None;
        for indicator in &registry.indicators {
            let Some(c) = computed(&indicator.code) else { continue };
            let figures = match &c.count {
                Counted::Directory(count) => count(&index)
                    .into_iter()
                    .map(|(breakdown, value)| Figure {
                        indicator: indicator.code.clone(),
                        year: current,
                        kind: FigureKind::Actual,
                        breakdown,
                        value,
                        max: None,
                    })
                    .collect(),
                Counted::Journey { measure, kind } => journey_figures(&indicator.code, *measure, *kind, &counts),
                Counted::Fairs(count) => fair_figures(&indicator.code, *count, &fairs, self.today()),
                Counted::Internships(count) => {
                    actuals(&indicator.code, internships.iter().map(|(year, counts)| (*year, count(counts))))
                }
                Counted::InternshipsArrangedBy(kind, count) => {
                    let arranged = outcomes
                        .iter()
                        .filter(|(slot, _)| index.agency(slot.agency).is_some_and(|a| a.kind == *kind))
                        .map(|(slot, booking)| (slot, booking));
                    actuals(&indicator.code, counts_by_year(arranged).iter().map(|(year, c)| (*year, count(c))))
                }
                Counted::CompaniesOpenedUp(kind) => {
                    let of_kind = |agency| index.agency(agency).is_some_and(|a| a.kind == *kind);
                    let links = self.store.employer_links().await.map_err(AppError::Store)?;
                    let slots = self.store.every_slot().await.map_err(AppError::Store)?;
                    let developed = links.iter().filter(|(_, l)| of_kind(l.agency)).map(|(e, l)| (*e, l.since));
                    let counts = companies_by_year(developed, slots.iter().filter(|s| of_kind(s.agency)));
                    actuals(&indicator.code, counts)
                }
                Counted::Coaching(count) => {
                    if coaching.is_none() {
                        coaching = Some(self.coaching_years(&index).await?);
                    }
                    coaching
                        .iter()
                        .flatten()
                        .flat_map(|(year, figures)| {
                            count(figures).into_iter().map(|(breakdown, value)| Figure {
                                indicator: indicator.code.clone(),
                                year: *year,
                                kind: FigureKind::Actual,
                                breakdown,
                                value,
                                max: None,
                            })
                        })
                        .collect()
                }
                Counted::ReturnToWork(count) => {
                    let plans = self.store.every_return_plan().await.map_err(AppError::Store)?;
                    let years = tsunagu_domain::rework::return_years(&plans, self.today(), |a| office_of(&index, a));
                    years
                        .iter()
                        .flat_map(|(year, figures)| {
                            count(figures).into_iter().map(|(breakdown, value)| Figure {
                                indicator: indicator.code.clone(),
                                year: *year,
                                kind: FigureKind::Actual,
                                breakdown,
                                value,
                                max: None,
                            })
                        })
                        .collect()
                }
                Counted::TryWork => {
                    let all = self.store.every_participation().await.map_err(AppError::Store)?;
                    tsunagu_domain::trywork::participants_by_year(&all, self.today())
                        .into_iter()
                        .flat_map(|(year, courses)| {
                            let total = courses.values().sum();
                            std::iter::once((String::new(), total))
                                .chain(courses.into_iter().map(|(c, n)| (c.name_ja().to_owned(), n)))
                                .map(move |(breakdown, value)| Figure {
                                    indicator: indicator.code.clone(),
                                    year,
                                    kind: FigureKind::Actual,
                                    breakdown,
                                    value,
                                    max: None,
                                })
                        })
                        .collect()
                }
                Counted::Events(series, count) => {
                    if events.is_none() {
                        let all = self.store.every_event().await.map_err(AppError::Store)?;
                        let attendees: std::collections::BTreeMap<_, _> =
                            self.store.event_attendees().await.map_err(AppError::Store)?.into_iter().collect();
                        events = Some(tsunagu_domain::event::series_years(&all, &attendees, self.today(), |a| {
                            office_of(&index, a)
                        }));
                    }
                    events
                        .iter()
                        .flatten()
                        .filter(|((s, _), _)| s == series)
                        .flat_map(|((_, year), figures)| {
                            count(figures).into_iter().map(|(breakdown, value)| Figure {
                                indicator: indicator.code.clone(),
                                year: *year,
                                kind: FigureKind::Actual,
                                breakdown,
                                value,
                                max: None,
                            })
                        })
                        .collect()
                }
                Counted::Assistance(count) => {
                    let records = self.store.every_assistance().await.map_err(AppError::Store)?;
                    tsunagu_domain::assistance::assistance_years(&records, |a| office_of(&index, a))
                        .iter()
                        .flat_map(|(year, figures)| {
                            count(figures).into_iter().map(|(breakdown, value)| Figure {
                                indicator: indicator.code.clone(),
                                year: *year,
                                kind: FigureKind::Actual,
                                breakdown,
                                value,
                                max: None,
                            })
                        })
                        .collect()
                }
                Counted::Coordinators(count) => {
                    let roster = self.store.every_coordinator().await.map_err(AppError::Store)?;
                    actuals(
                        &indicator.code,
                        tsunagu_domain::liaison::coordinator_years(&roster, self.today())
                            .iter()
                            .map(|(year, locations)| (*year, count(locations))),
                    )
                }
                Counted::ShortTimeGrants => {
                    let trials = self.store.granted_trials().await.map_err(AppError::Store)?;
                    tsunagu_domain::trial::short_time_grants_by_year(&trials)
                        .into_iter()
                        .map(|(year, value)| Figure {
                            indicator: indicator.code.clone(),
                            year,
                            kind: FigureKind::Actual,
                            breakdown: String::new(),
                            value,
                            max: None,
                        })
                        .collect()
                }
                Counted::Graduates => {
                    let graduates = self.store.graduates().await.map_err(AppError::Store)?;
                    let jobs: Vec<Vec<_>> = graduates
                        .iter()
                        .map(|(_, jobs)| jobs.iter().map(|p| (p.fields.starts_on, p.fields.kind)).collect())
                        .collect();
                    let counts = graduates_by_year(graduates.iter().zip(&jobs).map(|((e, _), j)| (e, j.as_slice())));
                    counts
                        .into_iter()
                        .filter_map(|((year, school, department), g)| {
                            let school = index.agency(school).map(|a| a.name.as_str()).unwrap_or_default();
                            let school: String = school.chars().filter(|c| !c.is_whitespace()).collect();
                            Some(Figure {
                                indicator: indicator.code.clone(),
                                year,
                                kind: FigureKind::Actual,
                                breakdown: format!("{school}{}", department.name()),
                                value: g.rate()?,
                                max: None,
                            })
                        })
                        .collect()
                }
            };
            let years: Vec<FiscalYear> = figures.iter().map(|f| f.year).collect();
            registry.figures.retain(|f| {
                !(f.indicator == indicator.code && f.kind == FigureKind::Actual && years.contains(&f.year))
            });
            registry.figures.extend(figures);
        }
        Ok((registry, current))
    }

    /// Job coaching's figures per fiscal year: the rosters, every day worked, and whether each
    /// person a 職業センター's coach worked with has a mental disability. A 職業センター office is
    /// 支所 when its name says so, else 本所, as the seed writes them.
    async fn coaching_years(
        &self,
        index: &DirectoryIndex,
    ) -> Result<std::collections::BTreeMap<FiscalYear, CoachingYear>, AppError> {
        let coaches = self.store.every_coach().await.map_err(AppError::Store)?;
        let days = self.store.every_coach_day().await.map_err(AppError::Store)?;
        let office = |agency| office_of(index, agency);
        let at_centres: std::collections::BTreeSet<uuid::Uuid> = days
            .iter()
            .filter(|d| coaches.iter().any(|c| c.id == d.coach && office(c.agency).is_some()))
            .map(|d| d.person.0)
            .collect();
        let mut mental = std::collections::BTreeSet::new();
        for person in at_centres {
            let file =
                self.store.person_file(tsunagu_domain::person::PersonId(person)).await.map_err(AppError::Store)?;
            if file.is_some_and(|f| {
                f.person.fields.categories.contains(&tsunagu_domain::person::DisabilityCategory::Mental)
            }) {
                mental.insert(person);
            }
        }
        Ok(tsunagu_domain::coaching::year_figures(&coaches, &days, self.today(), office, |p| mental.contains(&p.0)))
    }

    /// Enters a figure of one of `program`'s indicators — an entered one, or the target of a
    /// computed one — for a year still open, replacing the one it corrects; the change and its audit entry are one commit
    /// (program managers and administrators).
    pub async fn record_figure(
        &self,
        actor: &Account,
        program: &ProgramCode,
        input: &FigureInput,
    ) -> Result<Figure, AppError> {
        if !Self::may_see_programs(actor) {
            return Err(AppError::Forbidden);
        }
        let mut registry = self.store.registry().await.map_err(AppError::Store)?;
        // Only the program's own indicators are offered, and only they are taken.
        registry.indicators.retain(|i| &i.program == program);
        let figure = input.validate(&registry, FiscalYear::of(self.today())).map_err(AppError::Invalid)?;
        let record =
            format!("figure:{}:{}:{}:{}", figure.indicator, figure.year.0, figure.kind.code(), figure.breakdown);
        let fields = if figure.max.is_some() { vec!["value".into(), "max".into()] } else { vec!["value".into()] };
        let event = self.event(actor, AuditAction::Update, record, fields, "program_manager".into());
        let commit = tsunagu_store::Commit::new(event).with(tsunagu_store::Change::Figure(Box::new(figure.clone())));
        self.store.commit(commit).await.map_err(AppError::Store)?;
        Ok(figure)
    }

    /// The annual report for `year` as a file: an XLSX workbook, or a CSV (program managers and
    /// administrators).
    pub async fn export_report(&self, actor: &Account, year: FiscalYear, xlsx: bool) -> Result<Vec<u8>, AppError> {
        let r = self.annual_report(actor, Some(year)).await?;
        if !xlsx {
            return crate::report_export::report_csv(&r.report);
        }
        let workbooks = || self.workbooks.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(bytes) = workbooks().find(&r.report) {
            return Ok(bytes);
        }
        let bytes = crate::report_export::report_xlsx(&r.report)?;
        workbooks().keep(r.report, bytes.clone());
        Ok(bytes)
    }

    /// Edits a program's fields (program managers and administrators); the edit and its audit
    /// entry, naming the fields changed, are one commit.
    pub async fn update_program(
        &self,
        actor: &Account,
        code: &ProgramCode,
        input: &ProgramInput,
    ) -> Result<Program, AppError> {
        if !Self::may_see_programs(actor) {
            return Err(AppError::Forbidden);
        }
        let registry = self.store.registry().await.map_err(AppError::Store)?;
        let current = registry.programs.iter().find(|p| &p.code == code).ok_or(AppError::NotFound)?;
        let edited = input.apply(current).map_err(AppError::Invalid)?;
        let fields = tsunagu_domain::program::changed_fields(current, &edited);
        let event = self.event(actor, AuditAction::Update, format!("program:{code}"), fields, "program_manager".into());
        let commit =
            tsunagu_store::Commit::new(event).with(tsunagu_store::Change::UpdateProgram(Box::new(edited.clone())));
        self.store.commit(commit).await.map_err(AppError::Store)?;
        Ok(edited)
    }

    /// The registry: programs, indicators and every figure (program managers and administrators).
    pub async fn programs(&self, actor: &Account) -> Result<Registry, AppError> {
        if !Self::may_see_programs(actor) {
            return Err(AppError::Forbidden);
        }
        Ok(self.registry_with_computed().await?.0)
    }

    /// The annual report for `year`, or without one for the latest year up to today's that has
    /// a plan or a figure (program managers and administrators).
    pub async fn annual_report(&self, actor: &Account, year: Option<FiscalYear>) -> Result<AnnualReport, AppError> {
        if !Self::may_see_programs(actor) {
            return Err(AppError::Forbidden);
        }
        let (registry, current) = self.registry_with_computed().await?;
        let mut years: Vec<FiscalYear> =
            registry.cells.iter().map(|c| c.year).chain(registry.figures.iter().map(|f| f.year)).collect();
        years.push(current);
        years.sort();
        years.dedup();
        let planned = |y: &FiscalYear| {
            registry.cells.iter().any(|c| c.year == *y)
                || registry.figures.iter().any(|f| f.year == *y && f.kind != FigureKind::Actual)
        };
        let year = year
            .unwrap_or_else(|| years.iter().copied().filter(|y| *y <= current && planned(y)).max().unwrap_or(current));
        Ok(AnnualReport { report: tsunagu_domain::program::report(&registry, year), current, years })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tsunagu_domain::program::numbers_in;

    #[test]
    fn the_shipped_registry_loads_and_holds_every_program_of_the_document() {
        let registry = shipped_registry().expect("programs.toml loads and passes the registry's checks");
        let codes: Vec<&str> = registry.programs.iter().map(|p| p.code.as_str()).collect();
        for code in ["1-1", "1-2", "1-A", "2-1", "3-1", "5-2", "6-1", "7-3", "8-1", "9-1", "9-6", "10-1", "10-2"] {
            assert!(codes.contains(&code), "{code} in {codes:?}");
        }
        for p in &registry.programs {
            let years: Vec<i32> = registry.cells.iter().filter(|c| c.program == p.code).map(|c| c.year.0).collect();
            assert_eq!(years, [2021, 2022, 2023, 2024], "{}", p.code);
        }
        let repeats =
            |code: &str| registry.programs.iter().find(|p| p.code.as_str() == code).and_then(|p| p.repeats.clone());
        assert_eq!(repeats("2-1").map(|c| c.to_string()).as_deref(), Some("1-1"));
        assert_eq!(repeats("9-6").map(|c| c.to_string()).as_deref(), Some("5-2"));
        // 1-1: 51 municipalities = 23 wards + 26 cities + 2 towns, in each of the three years.
        for year in [2021, 2022, 2023] {
            let of = |breakdown: &str| {
                registry
                    .figures
                    .iter()
                    .find(|f| f.indicator == "1-1.municipalities" && f.year.0 == year && f.breakdown == breakdown)
                    .map(|f| f.value)
            };
            assert_eq!([of(""), of("区"), of("市"), of("町")], [Some(51), Some(23), Some(26), Some(2)]);
        }
    }

    #[test]
    fn every_number_of_every_result_cell_is_a_figure_or_said_not_to_be_one() {
        let file = shipped_file().unwrap();
        let mut unaccounted = Vec::new();
        for p in &file.program {
            for c in &p.cell {
                let listed: Vec<i64> = c.not_indicators.iter().filter_map(|n| n.parse().ok()).collect();
                for n in numbers_in(&c.text) {
                    let figure = c.value.iter().any(|v| v.value == n || v.max == Some(n));
                    if !figure && !listed.contains(&n) {
                        unaccounted.push(format!("{} {}: {n}", p.code, c.year));
                    }
                }
                for v in &c.value {
                    assert!(
                        numbers_in(&c.text).contains(&v.value),
                        "{} {}: {} is not written in the cell",
                        p.code,
                        c.year,
                        v.value
                    );
                }
            }
        }
        assert!(unaccounted.is_empty(), "numbers dropped: {unaccounted:?}");
    }

    /// `text` without its tags and its white space.
    fn bare(text: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in text.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag && !c.is_whitespace() => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn every_result_cell_is_the_documents_own_text() {
        // The program document as published (障害者雇用・就労推進 連携プログラム2024), kept as a
        // fixture: its program rows are the tab-separated lines of six columns whose first starts
        // with a program's number or with ●.
        let document = include_str!("../tests/fixtures/program2024.txt");
        let rows: Vec<Vec<&str>> = document
            .lines()
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .filter(|f| f.len() == 6)
            .filter(|f| {
                let first = bare(f[0]);
                first.starts_with('●') || first.split_once('-').is_some_and(|(a, _)| a.parse::<u8>().is_ok())
            })
            .collect();
        let file = shipped_file().unwrap();
        assert_eq!(rows.len(), file.program.len(), "one program per row of the document");
        for (row, program) in rows.iter().zip(&file.program) {
            assert!(bare(row[0]).contains(&bare(&program.name)), "{} is the row {}", program.code, row[0]);
            let mut cells: Vec<&CellRow> = program.cell.iter().collect();
            cells.sort_by_key(|c| c.year);
            assert_eq!(cells.iter().map(|c| c.year).collect::<Vec<_>>(), [2021, 2022, 2023, 2024]);
            for (column, cell) in row[1..5].iter().zip(cells) {
                assert_eq!(bare(&cell.text), bare(column), "{} {}", program.code, cell.year);
            }
        }
    }

    #[test]
    fn every_viewpoint_and_action_has_its_title() {
        let h = headings();
        assert_eq!(h.viewpoints.keys().copied().collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
        assert_eq!(h.actions.keys().copied().collect::<Vec<_>>(), (1..=10).collect::<Vec<u8>>());
        assert_eq!(h.viewpoints[&3], "「福祉施設等から企業へ」向かう流れ");
    }

    #[test]
    fn every_computed_indicator_is_one_the_registry_holds() {
        let registry = shipped_registry().unwrap();
        for c in COMPUTED {
            for code in c.codes {
                let indicator = registry.indicators.iter().find(|i| i.code == *code).expect(code);
                assert_eq!(indicator.source, Source::Computed);
            }
        }
    }
}
