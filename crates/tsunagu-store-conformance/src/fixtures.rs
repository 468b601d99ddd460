//! Small, fixed reference data for the cases.

use time::macros::datetime;
use tsunagu_domain::LocalGovCode;
use tsunagu_domain::directory::{
    Agency, AgencyFields, AgencyId, AgencyKind, Block, BlockCode, Municipality, MunicipalityKind,
};
use tsunagu_store::Store;
use uuid::Uuid;

/// Parses a code known to be valid.
pub fn lg(code: &str) -> LocalGovCode {
    LocalGovCode::parse(code).expect("fixture codes are valid")
}

/// Two blocks.
pub fn blocks() -> Vec<Block> {
    vec![
        Block { code: BlockCode("johoku".into()), name_ja: "城北".into(), name_en: "Johoku".into(), position: 1 },
        Block { code: BlockCode("joto".into()), name_ja: "城東".into(), name_en: "Joto".into(), position: 2 },
    ]
}

/// Three municipalities: two in 城北, one in 城東.
pub fn municipalities() -> Vec<Municipality> {
    let m = |code: &str, name: &str, kana: &str, block: &str| Municipality {
        code: lg(code),
        name: name.into(),
        name_kana: kana.into(),
        kind: MunicipalityKind::SpecialWard,
        block: BlockCode(block.into()),
        block_provisional: true,
        runs_support_centre: true,
        has_development_coordinator: false,
    };
    vec![
        m("131016", "千代田区", "ちよだく", "johoku"),
        m("131041", "新宿区", "しんじゅくく", "johoku"),
        m("131067", "台東区", "たいとうく", "joto"),
    ]
}

/// Inserts [`blocks`] and [`municipalities`].
pub async fn seed_reference(store: &dyn Store) {
    store.insert_blocks(&blocks()).await.expect("blocks");
    store.insert_municipalities(&municipalities()).await.expect("municipalities");
}

/// A minimal agency of `kind` named `name` in `municipality`.
pub fn agency(n: u128, kind: AgencyKind, name: &str, kana: &str, municipality: Option<&str>) -> Agency {
    Agency {
        id: AgencyId(Uuid::from_u128(n)),
        prefecture: "13".into(),
        fields: AgencyFields {
            kind,
            name: name.into(),
            name_kana: kana.into(),
            municipality: municipality.map(lg),
            block: None,
            postal_code: None,
            address: None,
            phone: None,
            email: None,
            website: None,
            fax: None,
            opening_hours: None,
            services: vec![],
            departments: vec![],
            notes: None,
        },
        version: 1,
        updated_at: datetime!(2026-04-01 09:00:00 UTC),
    }
}

/// A PDF of `content` on the page of `agency`, put there by the test worker on 1 November 2026.
pub fn agency_document(n: u128, agency: AgencyId, content: &[u8]) -> tsunagu_domain::document::AgencyDocument {
    use tsunagu_domain::document::{AgencyDocument, DocumentId, FileType, sha256_hex};
    AgencyDocument {
        id: DocumentId(Uuid::from_u128(n)),
        prefecture: "13".into(),
        agency,
        title: "利用案内".into(),
        file_name: "利用案内.pdf".into(),
        file_type: FileType::Pdf,
        size: content.len() as u64,
        sha256: sha256_hex(content),
        uploaded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        uploaded_at: datetime!(2026-11-01 9:00 UTC),
        removed_at: None,
    }
}

/// Stage change `n`: `person` moved to `stage` on `on` at `agency` by the test worker.
pub fn stage_change(
    n: u128,
    person: tsunagu_domain::person::PersonId,
    agency: AgencyId,
    stage: tsunagu_domain::journey::Stage,
    on: time::Date,
) -> tsunagu_domain::journey::StageChange {
    tsunagu_domain::journey::StageChange {
        id: Uuid::from_u128(n),
        prefecture: "13".into(),
        person,
        stage,
        on,
        agency,
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        recorded_at: datetime!(2026-11-25 9:00 UTC) + time::Duration::minutes(n as i64),
        reason: String::new(),
    }
}

/// Support record `n` of `person` at `agency`: 30 minutes of `kind` on `date` by the test worker.
pub fn support_record(
    n: u128,
    person: tsunagu_domain::person::PersonId,
    agency: AgencyId,
    kind: tsunagu_domain::journey::SupportKind,
    date: time::Date,
) -> tsunagu_domain::journey::SupportRecord {
    tsunagu_domain::journey::SupportRecord {
        id: Uuid::from_u128(n),
        prefecture: "13".into(),
        person,
        agency,
        staff: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        staff_name: "支援 花子".into(),
        fields: tsunagu_domain::journey::SupportFields {
            kind,
            date,
            minutes: 30,
            note: "記録".into(),
            next_action: None,
            next_action_on: None,
        },
        recorded_at: datetime!(2026-11-25 9:00 UTC),
    }
}

/// Employer `n` with 法人番号 from `base`, in 千代田区, in industry `industry`.
pub fn employer(n: u128, base: u64, name: &str, kana: &str, industry: char) -> tsunagu_domain::employer::Employer {
    use tsunagu_domain::employer::{Contact, Employer, EmployerFields, EmployerId};
    Employer {
        id: EmployerId(Uuid::from_u128(n)),
        prefecture: "13".into(),
        fields: EmployerFields {
            corporate_number: tsunagu_domain::CorporateNumber::from_base(base),
            name: name.into(),
            name_kana: kana.into(),
            industry,
            regular_workers: 120,
            special_subsidiary: false,
            accepts_interns: false,
            municipality: Some(lg("131016")),
            address: Some("千代田区飯田橋1-1".into()),
            hiring_contact: Some(Contact {
                name: "人事部 山田".into(),
                phone: Some("03-0000-1234".into()),
                email: Some("jinji@example.jp".into()),
            }),
            workplace_contact: None,
        },
        version: 1,
        updated_at: datetime!(2026-04-01 0:00 UTC),
    }
}
