//! The directory use cases end to end on a real (SQLite) store: imports apply whole or not at
//! all, exports read back, edits never overwrite silently.

use std::sync::Arc;

use tsunagu_app::accounts::command_line_operator;
use tsunagu_app::directory::AgencySearch;
use tsunagu_app::{App, AppError};
use tsunagu_domain::directory::AgencyInput;
use tsunagu_store_sqlite::SqliteStore;

mod support;

use support::{ManualClock, TestApp, test_app};

async fn spawn_app() -> TestApp {
    test_app().empty().build().await
}

async fn names(app: &App) -> Vec<String> {
    app.search_agencies(&AgencySearch::default()).await.unwrap().rows.into_iter().map(|r| r.name).collect()
}

/// (line, column, code) of every problem in a refused import.
fn problems(
    result: Result<tsunagu_app::import::ImportOutcome, AppError>,
) -> Vec<(Option<usize>, Option<String>, &'static str)> {
    match result {
        Err(AppError::Import(ps)) => ps.into_iter().map(|p| (p.line, p.column, p.code)).collect(),
        other => panic!("expected a refused import, got {other:?}"),
    }
}

const GOOD_CSV: &str = "種別,名称,ふりがな,区市町村,電話番号,サービス\r\n\
ハローワーク,ハローワーク飯田橋,はろーわーくいいだばし,文京区,03-3812-8609,\r\n\
福祉施設,ひまわり作業所,ヒマワリサギョウショ,新宿区,03-0000-1111,就労継続支援Ｂ型\r\n";

#[tokio::test]
async fn a_shift_jis_file_from_japanese_excel_is_imported() {
    let t = spawn_app().await;
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(GOOD_CSV);
    assert!(!unmappable);
    let outcome = t.app.import_agencies(&command_line_operator(), &bytes).await.unwrap();
    assert_eq!((outcome.created, outcome.updated), (2, 0));
    assert_eq!(names(&t.app).await, ["ハローワーク飯田橋", "ひまわり作業所"]);
}

#[tokio::test]
async fn one_bad_line_refuses_the_whole_file_and_every_problem_is_listed() {
    let t = spawn_app().await;
    let csv = "\u{feff}種別,名称,ふりがな,区市町村コード,ウェブサイト\n\
ハローワーク,ハローワーク上野,はろーわーくうえの,131067,\n\
銀行,みずほ,みずほ,131068,javascript:alert(1)\n\
福祉施設,,さくら,,\n";
    assert_eq!(
        problems(t.app.import_agencies(&command_line_operator(), csv.as_bytes()).await),
        [
            (Some(3), Some("種別".into()), "unknown_kind"),
            (Some(3), Some("区市町村コード".into()), "check_digit"),
            (Some(3), Some("ウェブサイト".into()), "url_scheme"),
            (Some(4), Some("名称".into()), "required"),
        ]
    );
    assert!(names(&t.app).await.is_empty(), "nothing is written");
}

#[tokio::test]
async fn unknown_and_missing_columns_are_named() {
    let t = spawn_app().await;
    let csv = "名称,ふりがな,携帯電話\nA,あ,03\n";
    assert_eq!(
        problems(t.app.import_agencies(&command_line_operator(), csv.as_bytes()).await),
        [(Some(1), Some("携帯電話".into()), "unknown_column"), (Some(1), Some("種別".into()), "missing_column")]
    );
}

#[tokio::test]
async fn bytes_in_no_japanese_encoding_are_refused_with_their_line() {
    let t = spawn_app().await;
    let mut bytes = "種別,名称,ふりがな\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"\x82\xa0,\xff\xfe,x\n");
    assert_eq!(problems(t.app.import_agencies(&command_line_operator(), &bytes).await), [(Some(2), None, "encoding")]);
}

#[tokio::test]
async fn an_export_imports_back_as_updates_and_xlsx_reads_like_csv() {
    let t = spawn_app().await;
    t.app.import_agencies(&command_line_operator(), GOOD_CSV.as_bytes()).await.unwrap();
    let csv = t.app.export_agencies_csv().await.unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBFID,"), "UTF-8 BOM for Excel, then the ID column");
    let unchanged = t.app.import_agencies(&command_line_operator(), &csv).await.unwrap();
    assert_eq!((unchanged.created, unchanged.updated), (0, 0), "re-importing an export changes nothing");

    let edited = String::from_utf8(csv).unwrap().replace("03-3812-8609", "03-3812-0000");
    let outcome = t.app.import_agencies(&command_line_operator(), edited.as_bytes()).await.unwrap();
    assert_eq!((outcome.created, outcome.updated), (0, 1));
    // The same file again is now stale: its version column predates the update.
    assert!(
        problems(t.app.import_agencies(&command_line_operator(), edited.as_bytes()).await)
            .iter()
            .any(|p| p.2 == "stale_row")
    );

    let xlsx = t.app.export_agencies_xlsx().await.unwrap();
    let again = t.app.import_agencies(&command_line_operator(), &xlsx).await.unwrap();
    assert_eq!((again.created, again.updated), (0, 0), "the XLSX export reads back with codes and phones intact");
    let page =
        t.app.search_agencies(&AgencySearch { text: Some("飯田橋".into()), ..Default::default() }).await.unwrap();
    let agency = t.app.agency(page.rows[0].id).await.unwrap();
    assert_eq!(agency.fields.phone.as_deref(), Some("03-3812-0000"));
    assert_eq!(agency.version, 2);
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_the_current_record() {
    let t = spawn_app().await;
    let input = AgencyInput {
        kind: "hello_work".into(),
        name: "ハローワーク渋谷".into(),
        name_kana: "はろーわーくしぶや".into(),
        municipality_code: "131130".into(),
        ..Default::default()
    };
    let created = t.app.create_agency(&command_line_operator(), &input).await.unwrap();
    let first = AgencyInput { phone: "03-3476-8609".into(), ..input.clone() };
    t.app.update_agency(&command_line_operator(), created.id, 1, &first).await.unwrap();
    let second = AgencyInput { phone: "03-0000-0000".into(), ..input };
    match t.app.update_agency(&command_line_operator(), created.id, 1, &second).await {
        Err(AppError::Conflict(current)) => {
            assert_eq!(current.version, 2);
            assert_eq!(current.fields.phone.as_deref(), Some("03-3476-8609"));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn another_servers_write_shows_once_the_revision_is_rechecked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("shared.sqlite3");
    let clock = Arc::new(ManualClock::at(time::macros::datetime!(2026-11-25 10:00 UTC)));
    let server = |clock: Arc<ManualClock>| {
        let store = SqliteStore::open(&path, 2).unwrap();
        App::new(Arc::new(store), clock, Arc::new(tsunagu_app::UuidV7))
    };
    let (a, b) = (server(Arc::clone(&clock)), server(Arc::clone(&clock)));
    a.prepare_database().await.unwrap();
    assert!(names(&b).await.is_empty());
    a.import_agencies(&command_line_operator(), GOOD_CSV.as_bytes()).await.unwrap();
    assert_eq!(names(&a).await.len(), 2, "a server sees its own write at once");
    assert!(names(&b).await.is_empty(), "another server may lag by up to RECHECK_AFTER");
    clock.advance(time::Duration::try_from(tsunagu_app::index::RECHECK_AFTER).unwrap());
    assert_eq!(names(&b).await.len(), 2, "and no longer");
}
