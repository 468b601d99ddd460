//! The schemas of the API's input fields that the derive cannot state by itself, built from the
//! domain's own lists so that the document names exactly the codes its rules accept (`enum`),
//! dates as dates (`format: date`) and the fields a request may leave out.
//!
//! Each function is named in a DTO's `#[schema(schema_with = …)]`. A field's doc comment does not
//! reach a schema built here, so each function carries its own description.
//!
//! What no schema can say stays a rule of the domain, answered with a 422 that names the field:
//! a date in the future where only past ones make sense, a code that must be among others (the
//! `support` purpose of a registration), a block or municipality the directory must hold.

use tsunagu_domain::consent::{DataCategory, Evidence, Purpose};
use tsunagu_domain::directory::{AgencyKind, WelfareService};
use tsunagu_domain::journey::{Stage, SupportKind};
use tsunagu_domain::person::{Certificate, DisabilityCategory};
use tsunagu_domain::plan::Outcome;
use utoipa::openapi::schema::SchemaType;
use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
use utoipa::openapi::{OpenApi, RefOr, Schema};

/// The kana, marks and punctuation of a reading, as `text::is_kana_reading` reads them.
macro_rules! kana {
    () => {
        "ぁ-ゖァ-ヺーゝゞヽヾ・゛゜ｦ-ﾟ().&\\-"
    };
}

/// The characters `validation::text_field` refuses: control characters but line breaks and tabs,
/// and those that reorder how text is shown.
macro_rules! refused {
    () => {
        r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069"
    };
}

/// Text the domain takes as it is.
const TEXT: &str = concat!("^[^", refused!(), "]*$");

/// [`TEXT`] that is not blank.
const TEXT_REQUIRED: &str = concat!("^[^", refused!(), r"]*[^\s", refused!(), "][^", refused!(), "]*$");

fn patterned(description: &str, pattern: &str, max_length: Option<usize>) -> Schema {
    string(description).pattern(Some(pattern)).max_length(max_length).into()
}

/// A person's reading.
pub fn person_kana() -> Schema {
    let kana_only = concat!("^[ 　]*[", kana!(), "][ 　", kana!(), "]*$");
    patterned("The reading in hiragana or katakana (either width).", kana_only, Some(200))
}

/// An agency's reading.
pub fn agency_kana() -> Schema {
    let kana_or_latin = concat!("^[ 　]*[", kana!(), "A-Za-z0-9][ 　", kana!(), "A-Za-z0-9]*$");
    patterned("The reading in hiragana or katakana, with the letters of names like NPO.", kana_or_latin, Some(200))
}

/// A phone or FAX number.
pub fn phone() -> Schema {
    patterned("10 or 11 digits from 0, hyphens allowed; empty for none.", r"^(-*0(-*[0-9]){9,10}-*)?$", None)
}

/// An e-mail address.
pub fn email() -> Schema {
    let address = r"^([!-?A-~]+@[!-\-/-?A-~][!-?A-~]*\.[!-?A-~]*[!-\-/-?A-~])?$";
    patterned("An e-mail address in ASCII; empty for none.", address, Some(254))
}

/// An agency's web site.
pub fn website() -> Schema {
    patterned("An http or https address; empty for none.", r"^(https?://[^\s/?#@:]+(/[^\s]*)?)?$", Some(500))
}

/// An agency's postal code.
pub fn postal_code() -> Schema {
    patterned("123-4567 or 1234567; empty for none.", r"^([0-9]{3}-?[0-9]{4})?$", None)
}

/// A municipality, by its code.
pub fn municipality_code() -> Schema {
    patterned(
        "The 全国地方公共団体コード (six digits, the last a check digit) of a municipality the directory holds \
         (GET /api/v1/municipalities); empty for none.",
        r"^([0-9]{6})?$",
        None,
    )
}

/// Municipalities a person can commute to, by code.
pub fn municipality_codes() -> Schema {
    let code = string(
        "The 全国地方公共団体コード (six digits, the last a check digit) of a municipality the directory holds \
         (GET /api/v1/municipalities).",
    )
    .pattern(Some(r"^[0-9]{6}$"));
    ArrayBuilder::new()
        .description(Some("Municipalities, by code; at most 20, none for anywhere."))
        .items(code)
        .max_items(Some(tsunagu_domain::preferences::MAX_AREAS as usize))
        .into()
}

/// A 法人番号.
pub fn corporate_number() -> Schema {
    patterned(
        "The 法人番号: 13 digits, the first a check digit; hyphens and spaces are read.",
        r"^[0-9 -]{13,20}$",
        Some(20),
    )
}

/// An industry, by its 日本標準産業分類 major division letter.
pub fn industry() -> Schema {
    let letters: Vec<String> =
        tsunagu_domain::employer::INDUSTRY_DIVISIONS.iter().map(|(l, _)| l.to_string()).collect();
    one_of("日本標準産業分類 major division letter.", letters.iter().map(String::as_str)).into()
}

/// A block, by its code, where it may be left out.
pub fn block_code() -> Schema {
    patterned(
        "The code of a block the directory holds (GET /api/v1/blocks); empty for none.",
        r"^([a-z][a-z0-9_]*)?$",
        None,
    )
}

/// The block a municipality belongs to.
pub fn municipality_block() -> Schema {
    patterned("The code of a block the directory holds (GET /api/v1/blocks).", r"^[a-z][a-z0-9_]*$", None)
}

/// Gives every free-text field of a request body the rule the domain's `text_field` applies to
/// all text — no control characters but line breaks and tabs, nothing that reorders how text is
/// shown — and, where the field is required, that it is not blank. A free-text field is a string
/// property of a request body's schema (or of a schema one refers to) with no pattern, format or
/// list of codes of its own.
pub fn text_rules(doc: &mut OpenApi) {
    let mut inputs: Vec<String> = Vec::new();
    for item in doc.paths.paths.values() {
        let operations = [&item.get, &item.put, &item.post, &item.delete, &item.patch];
        for body in operations.into_iter().flatten().filter_map(|o| o.request_body.as_ref()) {
            if let RefOr::T(body) = body {
                for content in body.content.values() {
                    if let RefOr::T(utoipa::openapi::Content { schema: Some(schema), .. }) = content {
                        referenced(schema, &mut inputs);
                    }
                }
            }
        }
    }
    let Some(components) = doc.components.as_mut() else { return };
    let mut i = 0;
    while let Some(name) = inputs.get(i).cloned() {
        i += 1;
        if let Some(schema) = components.schemas.get(&name) {
            let mut nested = Vec::new();
            referenced(schema, &mut nested);
            inputs.extend(nested.into_iter().filter(|n| !inputs.contains(n)).collect::<Vec<_>>());
        }
    }
    for name in &inputs {
        if let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(name) {
            let required = object.required.clone();
            for (field, property) in object.properties.iter_mut() {
                if let RefOr::T(Schema::Object(p)) = property
                    && p.schema_type == SchemaType::Type(Type::String)
                    && p.pattern.is_none()
                    && p.format.is_none()
                    && p.enum_values.is_none()
                {
                    let rule = if required.contains(field) { TEXT_REQUIRED } else { TEXT };
                    p.pattern = Some(rule.to_owned());
                }
            }
        }
    }
}

/// The names of the component schemas `schema` refers to, directly or through its parts.
fn referenced(schema: &RefOr<Schema>, names: &mut Vec<String>) {
    match schema {
        RefOr::Ref(r) => {
            if let Some(name) = r.ref_location.strip_prefix("#/components/schemas/")
                && !names.iter().any(|n| n == name)
            {
                names.push(name.to_owned());
            }
        }
        RefOr::T(Schema::Object(o)) => o.properties.values().for_each(|p| referenced(p, names)),
        RefOr::T(Schema::AllOf(a)) => a.items.iter().for_each(|p| referenced(p, names)),
        RefOr::T(Schema::OneOf(a)) => a.items.iter().for_each(|p| referenced(p, names)),
        RefOr::T(Schema::AnyOf(a)) => a.items.iter().for_each(|p| referenced(p, names)),
        RefOr::T(Schema::Array(a)) => {
            if let utoipa::openapi::schema::ArrayItems::RefOrSchema(item) = &a.items {
                referenced(item, names);
            }
        }
        RefOr::T(_) => {}
    }
}

fn string(description: &str) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).description(Some(description))
}

fn one_of<C: Into<serde_json::Value>>(description: &str, codes: impl IntoIterator<Item = C>) -> ObjectBuilder {
    string(description).enum_values(Some(codes))
}

fn list_of(description: &str, item: ObjectBuilder, min_items: usize) -> Schema {
    ArrayBuilder::new()
        .description(Some(description))
        .items(item)
        .min_items((min_items > 0).then_some(min_items))
        .into()
}

fn date(description: &str) -> ObjectBuilder {
    string(description).format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
}

/// A date (YYYY-MM-DD), or an empty string for none.
fn date_or_empty(description: &str) -> Schema {
    OneOfBuilder::new()
        .description(Some(description))
        .item(date("A date."))
        .item(string("None.").max_length(Some(0)))
        .into()
}

/// `kind` of an agency.
pub fn agency_kind() -> Schema {
    one_of("The agency's kind.", AgencyKind::ALL.map(AgencyKind::code)).into()
}

/// `kind` of an agency as a filter (empty: every kind).
pub fn agency_kind_filter() -> Schema {
    let codes = std::iter::once("").chain(AgencyKind::ALL.map(AgencyKind::code));
    one_of("Only agencies of this kind; empty for every kind.", codes).into()
}

/// The welfare services an agency offers.
pub fn welfare_services() -> Schema {
    list_of(
        "Service codes (welfare facilities).",
        one_of("A service.", WelfareService::ALL.map(WelfareService::code)),
        0,
    )
}

/// A person's disability categories: at least one.
pub fn disability_categories() -> Schema {
    list_of(
        "Disability categories, at least one.",
        one_of("A category.", DisabilityCategory::ALL.map(DisabilityCategory::code)),
        1,
    )
}

/// A disability category as a filter (empty: any).
pub fn disability_category_filter() -> Schema {
    let codes = std::iter::once("").chain(DisabilityCategory::ALL.map(DisabilityCategory::code));
    one_of("Only openings welcoming this category (or any category); empty for every opening.", codes).into()
}

/// Accommodations (合理的配慮) by code.
pub fn accommodations() -> Schema {
    use tsunagu_domain::opening::Accommodation;
    list_of("Accommodations, by code.", one_of("An accommodation.", Accommodation::ALL.map(Accommodation::code)), 0)
}

/// Disability categories an opening welcomes (none: any).
pub fn disability_categories_any() -> Schema {
    list_of(
        "Disability categories welcomed; empty for any.",
        one_of("A category.", DisabilityCategory::ALL.map(DisabilityCategory::code)),
        0,
    )
}

/// How a wage is stated.
pub fn wage_kind() -> Schema {
    use tsunagu_domain::opening::WageKind;
    one_of("hourly (時給) or monthly (月給).", WageKind::ALL.map(WageKind::code)).into()
}

/// An opening's status.
pub fn opening_status() -> Schema {
    use tsunagu_domain::opening::OpeningStatus;
    one_of("The status to move to.", OpeningStatus::ALL.map(OpeningStatus::code)).into()
}

/// A person's certificates (障害者手帳) with their grades.
pub fn certificates() -> Schema {
    list_of(
        "Certificates with their grades: 身体障害者手帳 `physical:1`–`7`, 愛の手帳 `ai_no_techo:1`–`4`, \
         療育手帳 `ryoiku:A` or `B`, 精神障害者保健福祉手帳 `mental:1`–`3`.",
        one_of("A certificate.", Certificate::every().map(Certificate::code)),
        0,
    )
}

/// What a consent lets the data be used for: at least one.
pub fn purposes() -> Schema {
    list_of("Purposes, at least one.", one_of("A purpose.", Purpose::ALL.iter().map(|p| p.code())), 1)
}

/// Which data a consent covers: at least one, `basic` among them.
pub fn data_categories() -> Schema {
    list_of(
        "Data categories, at least one; `basic` is always among them.",
        one_of("A category.", DataCategory::ALL.iter().map(|c| c.code())),
        1,
    )
}

/// How staff recorded a consent at registration.
pub fn registration_evidence() -> Schema {
    one_of(
        "How the consent was given: `paper_form` (say where the form is kept) or `verbal` (say who witnessed).",
        [Evidence::PaperForm, Evidence::Verbal].map(Evidence::code),
    )
    .into()
}

/// How a consent was given.
pub fn evidence() -> Schema {
    one_of(
        "How the consent was given: `paper_form` or `verbal` (with a note of where the form is kept or who \
         witnessed), or `own_account` (the person in their own account).",
        Evidence::ALL.map(Evidence::code),
    )
    .into()
}

/// Whom a consent names.
pub fn recipient_kind() -> Schema {
    one_of("Whom the consent names.", ["agency", "block", "employer"]).into()
}

/// The kind of a support record.
pub fn support_kind() -> Schema {
    one_of("What kind of support it was.", SupportKind::ALL.map(SupportKind::code)).into()
}

/// A stage of the journey.
pub fn stage() -> Schema {
    one_of("The stage.", Stage::ALL.map(Stage::code)).into()
}

/// The stage the client last read, if any.
pub fn current_stage() -> Schema {
    OneOfBuilder::new()
        .description(Some(
            "The stage the client last read (omit or null before the first): a change made meanwhile answers \
             409 `stage_moved`.",
        ))
        .item(one_of("A stage.", Stage::ALL.map(Stage::code)))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}

/// The outcome of a plan review.
pub fn review_outcome() -> Schema {
    one_of("What the review decided.", Outcome::ALL.map(Outcome::code)).into()
}

/// The day a support record is of.
pub fn record_date() -> Schema {
    date("The day it happened (YYYY-MM-DD), not in the future.").into()
}

/// The day a stage began.
pub fn stage_date() -> Schema {
    date("Since (YYYY-MM-DD), not in the future.").into()
}

/// A person's birth date.
pub fn birth_date() -> Schema {
    date("The birth date (YYYY-MM-DD).").into()
}

/// The first day of a consent.
pub fn valid_from() -> Schema {
    date("The first day it holds (YYYY-MM-DD).").into()
}

/// The last day of a consent, if any.
pub fn valid_to() -> Schema {
    date_or_empty("The last day it holds (YYYY-MM-DD); empty for \"until withdrawn\".")
}

/// When a support plan is to be reviewed.
pub fn review_on() -> Schema {
    date("When the plan is to be reviewed (YYYY-MM-DD), not in the past.").into()
}

/// When a plan is next reviewed, after a review.
pub fn next_review_on() -> Schema {
    date_or_empty("YYYY-MM-DD; required when the plan continues or is revised, empty when it ends.")
}

/// When the next action of a support record is due.
pub fn next_action_on() -> Schema {
    date_or_empty("When the next action is due (YYYY-MM-DD), on or after the record's date; empty for none.")
}

/// The kind of employment of a placement.
pub fn employment_kind() -> Schema {
    one_of(
        "一般就労 (general), 特例子会社 (special_subsidiary) or 就労継続支援A型 (type_a).",
        tsunagu_domain::placement::PlacementKind::ALL.map(tsunagu_domain::placement::PlacementKind::code),
    )
    .into()
}

/// Why a placement ended.
pub fn end_reason() -> Schema {
    one_of(
        "Why the job ended.",
        tsunagu_domain::placement::EndReason::ALL.map(tsunagu_domain::placement::EndReason::code),
    )
    .into()
}

/// The first or last day of a job.
pub fn job_date() -> Schema {
    date("A day of work (YYYY-MM-DD), not in the future.").into()
}

/// What a slot offers.
pub fn slot_kind() -> Schema {
    use tsunagu_domain::internship::SlotKind;
    one_of(
        "職場体験実習 (internship), 特別支援学校の現場実習 (school_training) or 企業見学 (tour).",
        SlotKind::ALL.map(SlotKind::code),
    )
    .into()
}

/// A slot's first day.
pub fn slot_day() -> Schema {
    date("The first day (YYYY-MM-DD), at most two years ahead.").into()
}

/// A slot's last day.
pub fn slot_last_day() -> Schema {
    date_or_empty("The last day (YYYY-MM-DD), not before the first and at most 92 days after it; empty: the first.")
}

/// How a booking went.
pub fn booking_outcome() -> Schema {
    use tsunagu_domain::internship::Outcome;
    one_of(
        "Took part to the end (completed), was offered a job (offered) or withdrew (withdrawn).",
        Outcome::ALL.map(Outcome::code),
    )
    .into()
}
