//! View models shared by the page templates: the layout, form fields and select options.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use time::{Date, OffsetDateTime, UtcOffset};

use crate::web::i18n::{Lang, Tr};

/// The frame around every page.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Translator.
    pub tr: Tr,
    /// `<title>` and usually the `<h1>`.
    pub title: String,
    /// Current path, to mark the current menu item.
    pub path: String,
    /// Link to the other language.
    pub switch_href: String,
    /// The signed-in account's name.
    pub account_name: Option<String>,
    /// The session's CSRF token, for every form that changes something.
    pub csrf: Option<String>,
    /// Tell the reader their sign-in expired.
    pub session_expired: bool,
    /// The signed-in account's roles, for the menu.
    pub roles: Vec<tsunagu_domain::account::Role>,
    /// The account may add agencies (the menu offers the form only then).
    pub may_add_agency: bool,
    /// The account may import agencies.
    pub may_import: bool,
    /// Notices waiting for the account's agency (shown beside 紹介 in the menu).
    pub unread_notices: u64,
}

/// One item of the main menu.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Where it goes.
    pub href: &'static str,
    /// Its text.
    pub label: String,
    /// It is the page shown.
    pub current: bool,
    /// A count beside it, with what it counts for a screen reader (new notices).
    pub badge: Option<(u64, String)>,
}

impl Layout {
    /// The count of new notices with what it counts, when there are any.
    pub fn unread(&self) -> Option<(u64, String)> {
        (self.unread_notices > 0)
            .then(|| (self.unread_notices, self.tr.with("nav-unread", &[("count", self.unread_notices.into())])))
    }

    /// The main menu.
    pub fn nav(&self) -> Vec<NavItem> {
        use tsunagu_domain::account::Role;
        let casework = self.roles.iter().any(|r| r.is_casework());
        let own: &[(&'static str, &'static str)] = if casework {
            &[
                ("/persons", "nav-persons"),
                ("/referrals", "nav-referrals"),
                ("/employers", "nav-employers"),
                ("/fairs", "nav-fairs"),
            ]
        } else if self.roles.contains(&Role::Person) {
            &[("/me", "nav-me")]
        } else if self.roles.contains(&Role::EmployerUser) {
            &[("/company", "nav-company")]
        } else if self.roles.contains(&Role::ProgramManager) {
            &[("/report", "nav-report"), ("/programs", "nav-programs"), ("/employers", "nav-employers")]
        } else if self.roles.contains(&Role::SystemAdmin) {
            &[("/report", "nav-report"), ("/programs", "nav-programs"), ("/admin/accounts", "nav-accounts")]
        } else {
            &[]
        };
        // Only what the account may do: a form it could not save is not offered.
        let writes = [
            (self.may_add_agency, ("/agencies/new", "nav-new-agency")),
            (self.may_import, ("/agencies/import", "nav-import")),
        ];
        [("/", "nav-home")]
            .into_iter()
            .chain(own.iter().copied())
            .chain(self.roles.contains(&Role::SchoolStaff).then_some(("/school", "nav-school")))
            .chain(self.roles.contains(&Role::JobCoach).then_some(("/coaching", "nav-coaching")))
            // The 職業センター's staff coordinate returns to work; Hello Work arranges trials.
            .chain(self.roles.contains(&Role::JobCoach).then_some(("/rework", "nav-rework")))
            // …and give agencies technical assistance (7-2).
            .chain(self.roles.contains(&Role::JobCoach).then_some(("/assistance", "nav-assistance")))
            .chain(self.roles.contains(&Role::HelloWorkStaff).then_some(("/trials", "nav-trials")))
            // Staff reach openings from employers and from a person's matches; the public list is
            // in everyone else's menu.
            .chain((!casework).then_some(("/openings", "nav-openings")))
            // Everyone signed in sees the events meant for them.
            .chain((!self.roles.is_empty()).then_some(("/events", "nav-events")))
            .chain([
                ("/agencies", "nav-agencies"),
                ("/blocks", "nav-blocks"),
                ("/municipalities", "nav-municipalities"),
            ])
            .chain(writes.into_iter().filter(|(may, _)| *may).map(|(_, item)| item))
            .map(|(href, key)| NavItem {
                href,
                label: self.tr.get(key),
                current: self.path == href,
                badge: if href == "/referrals" { self.unread() } else { None },
            })
            .collect()
    }
}

/// One `<option>`.
#[derive(Debug, Clone)]
pub struct SelectOption {
    /// Submitted value.
    pub value: String,
    /// Shown text.
    pub label: String,
    /// Pre-selected.
    pub selected: bool,
}

/// One form field with its label, hint and error.
#[derive(Debug, Clone)]
pub struct Field {
    /// `name` and `id`.
    pub name: &'static str,
    /// Label text.
    pub label: String,
    /// Current value.
    pub value: String,
    /// Help text.
    pub hint: Option<String>,
    /// The problem, if any.
    pub error: Option<String>,
    /// Required.
    pub required: bool,
    /// `type` of the input.
    pub input_type: &'static str,
    /// `maxlength`.
    pub max: u32,
    /// `autocomplete` token.
    pub autocomplete: Option<&'static str>,
    /// `inputmode`: the keyboard a phone shows (`numeric` for a number typed as text, so that
    /// full-width digits are kept and read, where `type="number"` would drop them).
    pub inputmode: Option<&'static str>,
}

impl Field {
    /// The ids the input's `aria-describedby` names: its hint and its error.
    pub fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if self.hint.is_some() {
            ids.push(format!("{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.name));
        }
        ids.join(" ")
    }
}

/// A form field named `name`, labelled from the catalog (`field-<name>`, hint `hint-<name>` when
/// the catalog has one), with the first problem `problems` holds for it.
pub fn field(
    tr: Tr,
    problems: &tsunagu_domain::Problems,
    name: &'static str,
    value: &str,
    input_type: &'static str,
    max: u32,
    required: bool,
) -> Field {
    let hint_key = format!("hint-{name}");
    let hint = tr.get(&hint_key);
    Field {
        name,
        label: tr.field(name),
        value: value.to_owned(),
        hint: (hint != hint_key).then_some(hint),
        error: problems.for_field(name).map(|p| tr.problem(p.field, false, p.code, p.limit)),
        required,
        input_type,
        max,
        autocomplete: None,
        inputmode: None,
    }
}

/// Renders a template with `status`; a rendering failure is logged and becomes a plain 500.
pub fn render(status: StatusCode, template: &impl askama::Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error").into_response()
        }
    }
}

/// The weekday as pages name it, Monday first.
fn weekday(lang: Lang, d: Date) -> &'static str {
    const JA: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let i = usize::from(d.weekday().number_days_from_monday());
    match lang {
        Lang::Ja => JA[i],
        Lang::En => EN[i],
    }
}

/// A date as pages show it: 2026年12月3日（木）, or Thu 3 Dec 2026 in English. (The API and the
/// files keep ISO 8601.)
pub fn date_text(tr: Tr, d: Date) -> String {
    match tr.lang() {
        Lang::Ja => format!("{}年{}月{}日（{}）", d.year(), u8::from(d.month()), d.day(), weekday(Lang::Ja, d)),
        Lang::En => format!("{} {} {} {}", weekday(Lang::En, d), d.day(), &month_name(d.month())[..3], d.year()),
    }
}

/// A date without its weekday, for dates that are not appointments (a birth date): 2001年4月2日.
pub fn plain_date(lang: Lang, d: Date) -> String {
    match lang {
        Lang::Ja => format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day()),
        Lang::En => format!("{} {} {}", d.day(), month_name(d.month()), d.year()),
    }
}

fn month_name(m: time::Month) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[usize::from(u8::from(m)) - 1]
}

/// A birth date with its era year and the age on `today`: 2001年4月2日（平成13年）25歳, or
/// 2 April 2001 (Heisei 13), age 25.
pub fn birth_text(tr: Tr, d: Date, today: Date) -> String {
    let lang = tr.lang();
    let era = tsunagu_domain::calendar::wareki(d).map(|(era, year)| match (lang, year) {
        (Lang::Ja, 1) => format!("{}元年", era.name),
        (Lang::Ja, y) => format!("{}{y}年", era.name),
        (Lang::En, y) => format!("{} {y}", era.romaji),
    });
    let age = tsunagu_domain::calendar::age_on(d, today);
    let era = era.map(|e| match lang {
        Lang::Ja => format!("（{e}）"),
        Lang::En => format!(" ({e})"),
    });
    tr.with(
        "birth-date-text",
        &[("date", (plain_date(lang, d) + &era.unwrap_or_default()).into()), ("age", age.into())],
    )
}

/// A follow-up's milestone: 2週間, 1か月 (2 weeks, 1 month).
pub fn milestone_text(tr: Tr, m: tsunagu_domain::journey::Milestone) -> String {
    use tsunagu_domain::journey::Milestone;
    let (key, n) = match m {
        Milestone::Weeks(n) => ("milestone-weeks", n),
        Milestone::Months(n) => ("milestone-months", n),
        Milestone::Days(n) => ("milestone-days", n),
    };
    tr.with(key, &[("n", n.into())])
}

/// A time of day as 13:30.
pub fn clock_text(t: time::Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// A moment as Tokyo local time: 2026年11月25日（水）19:15, or Wed 25 Nov 2026 19:15.
pub fn time_text(tr: Tr, t: OffsetDateTime) -> String {
    let jst = UtcOffset::from_hms(9, 0, 0).unwrap_or(UtcOffset::UTC);
    let t = t.to_offset(jst);
    format!("{} {:02}:{:02}", date_text(tr, t.date()), t.hour(), t.minute())
}

/// Numbered page links: the first and last page, the current one and two either side, gaps
/// between.
#[derive(Debug, Clone)]
pub struct Pager {
    /// The previous page's address.
    pub prev: Option<String>,
    /// The next page's address.
    pub next: Option<String>,
    /// (page, address, is current, its name for a screen reader); `None` for a gap.
    pub pages: Vec<Option<(u32, String, bool, String)>>,
}

impl Pager {
    /// The pager of page `current` of `pages`, each at `href(page)`; `None` when there is one page.
    pub fn new(tr: Tr, current: u32, pages: u64, href: impl Fn(u32) -> String) -> Option<Self> {
        let last = u32::try_from(pages).unwrap_or(u32::MAX).max(1);
        if last == 1 {
            return None;
        }
        let shown = |p: u32| p == 1 || p == last || p.abs_diff(current) <= 2;
        let mut items = Vec::new();
        for p in 1..=last {
            if shown(p) {
                items.push(Some((p, href(p), p == current, tr.with("pager-page", &[("page", p.into())]))));
            } else if items.last().is_some_and(Option::is_some) {
                items.push(None);
            }
        }
        Some(Self {
            prev: (current > 1).then(|| href(current - 1)),
            next: (current < last).then(|| href(current + 1)),
            pages: items,
        })
    }
}

/// The `tel:` address of a phone number as written (03-1234-5678 → tel:0312345678), so that a
/// phone dials it; `None` when it holds no digit.
pub fn tel_href(phone: &str) -> Option<String> {
    tsunagu_domain::text::dial_digits(phone).map(|digits| format!("tel:{digits}"))
}

/// A form's problems as (field, message), for its error summary.
pub fn errors_of(tr: Tr, problems: &tsunagu_domain::Problems) -> Vec<(String, String)> {
    problems.iter().map(|p| (p.field.to_owned(), tr.problem(p.field, false, p.code, p.limit))).collect()
}

/// What an edit from an older page changes against the record as it is now, field by field:
/// (label, now, typed), from two forms' `field_texts`.
pub fn differences(
    tr: Tr,
    current: &[(&'static str, String)],
    yours: &[(&'static str, String)],
) -> Vec<(String, String, String)> {
    current
        .iter()
        .zip(yours)
        .filter(|((_, a), (_, b))| a.trim() != b.trim())
        .map(|((name, a), (_, b))| (tr.field(name), a.clone(), b.clone()))
        .collect()
}

/// The directory's municipalities as menu options (their English names in English), those
/// `selected` says selected.
pub fn municipality_options(
    tr: Tr,
    refs: &tsunagu_app::reference::References,
    selected: impl Fn(&tsunagu_domain::LocalGovCode) -> bool,
) -> Vec<SelectOption> {
    refs.municipalities
        .iter()
        .map(|m| SelectOption { value: m.code.to_string(), label: tr.municipality(m), selected: selected(&m.code) })
        .collect()
}

/// [`municipality_options`] from the reference data, the one whose code is `chosen` selected.
pub async fn municipality_menu(
    state: &crate::AppState,
    ctx: &crate::web::context::Ctx,
    chosen: &str,
) -> Result<Vec<SelectOption>, crate::web::error::PageError> {
    let refs = state.app.references().await.map_err(|e| crate::web::error::PageError::of(ctx, e))?;
    Ok(municipality_options(ctx.tr(), &refs, |c| c.as_str() == chosen.trim()))
}

/// The name of the municipality `code` (its English name in English); empty when there is none.
pub fn municipality_name(
    tr: Tr,
    refs: &tsunagu_app::reference::References,
    code: Option<&tsunagu_domain::LocalGovCode>,
) -> String {
    use tsunagu_domain::directory::DirectoryReferences;
    code.and_then(|c| refs.municipality(c)).map(|m| tr.municipality(m)).unwrap_or_default()
}

/// The page number a list's query string asks for: 1 when none; `None` when it is no page
/// number (1–100,000).
pub fn page_number(raw: Option<&str>) -> Option<u32> {
    match raw.map(str::trim) {
        None | Some("") => Some(1),
        Some(raw) => raw.parse::<u32>().ok().filter(|p| (1..=100_000).contains(p)),
    }
}

/// A query-string value, empty when absent.
pub fn query_text(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

/// Options for a domain's list of coded items, labelled from the catalog as `{prefix}-{code}`,
/// those whose code is among `chosen` selected.
pub fn coded_options<T: Copy>(
    tr: Tr,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    prefix: &str,
    chosen: &[String],
) -> Vec<SelectOption> {
    all.iter()
        .map(|item| {
            let code = code(*item);
            SelectOption {
                value: code.to_owned(),
                label: tr.get(&format!("{prefix}-{code}")),
                selected: chosen.iter().any(|c| c.trim() == code),
            }
        })
        .collect()
}

/// A count with thousands separators (16,518), as Japanese and English both write them.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Percent-encodes a query value.
pub fn enc(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A file to download, with its type and name. The name may be Japanese: it goes as UTF-8 in
/// `filename*` (RFC 6266), with an ASCII `filename` beside it for clients that read only that
/// one. Never shown inline, and never kept in a cache.
pub(crate) fn download(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let ascii: String = filename
        .chars()
        .map(|c| if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | ';' | '%') { c } else { '_' })
        .collect();
    let value = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", enc(filename));
    if let Ok(v) = HeaderValue::from_str(&value) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The name of a file Tsunagu writes: what it holds, whose, and the day, joined by `_`
/// (担当ケース_千代田区障害者就労支援センター_2026-12-04.xlsx).
pub(crate) fn file_name(parts: &[&str], today: Date, extension: &str) -> String {
    let mut name: Vec<String> = parts
        .iter()
        .map(|p| p.chars().map(|c| if c.is_control() || "/\\:*?\"<>|".contains(c) { '_' } else { c }).collect())
        .collect();
    name.push(today.to_string());
    format!("{}.{extension}", name.join("_"))
}
