//! `tsunagu-floor DB ADDR`: a minimal axum + rusqlite server that runs the directory's search
//! and agency-page SQL, and the caseload (searched and filtered too), dashboard, timeline,
//! support-record and coaches' year-totals SQL, on Tsunagu's database
//! file and writes the rows out as bare HTML. No templates, no validation, no reference data, no
//! sessions, no access policy, no audit log: the floor Tsunagu's figures are compared with.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::serve::ListenerExt;
use deadpool_sqlite::rusqlite::{OptionalExtension, params};
use tsunagu_store_sqlite::pool::Pool;

const FILTER: &str = "FROM agencies a LEFT JOIN municipalities m ON m.lg_code = a.municipality_code
    WHERE (?1 IS NULL OR instr(a.search_key, ?1) > 0)
      AND (?2 IS NULL OR COALESCE(m.block_code, a.block_code) = ?2)
      AND (?3 IS NULL OR a.kind = ?3)
      AND (?4 IS NULL OR a.municipality_code = ?4)";

async fn search(State(pool): State<Pool>, Query(q): Query<HashMap<String, String>>) -> Html<String> {
    let conn = match pool.get().await {
        Ok(c) => c,
        Err(e) => return Html(format!("error {e}")),
    };
    let html = conn
        .interact(move |c| -> deadpool_sqlite::rusqlite::Result<String> {
            // The same folding Tsunagu applies is skipped: callers send already-folded text.
            let text = q.get("q").filter(|s| !s.is_empty()).cloned();
            let get = |k: &str| q.get(k).filter(|s| !s.is_empty()).cloned();
            let (block, kind, municipality) = (get("block"), get("kind"), get("municipality"));
            let total: i64 = c
                .prepare_cached(&format!("SELECT count(*) {FILTER}"))?
                .query_row(params![text, block, kind, municipality], |r| r.get(0))?;
            let mut stmt = c.prepare_cached(&format!(
                "SELECT a.id, a.kind, a.name, a.name_kana, m.name, COALESCE(m.block_code, a.block_code), a.phone
                 {FILTER} ORDER BY a.kind_rank, a.name_kana, a.id LIMIT 50 OFFSET 0"
            ))?;
            let mut out = format!("<p>{total}</p><table>");
            let mut rows = stmt.query(params![text, block, kind, municipality])?;
            while let Some(r) = rows.next()? {
                let (id, kind, name): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
                let muni: Option<String> = r.get(4)?;
                let phone: Option<String> = r.get(6)?;
                out.push_str(&format!(
                    "<tr><td><a href=\"/agencies/{id}\">{name}</a></td><td>{kind}</td><td>{}</td><td>{}</td></tr>",
                    muni.unwrap_or_default(),
                    phone.unwrap_or_default()
                ));
            }
            out.push_str("</table>");
            Ok(out)
        })
        .await;
    Html(match html {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => format!("error {e}"),
        Err(e) => format!("error {e}"),
    })
}

async fn agency(State(pool): State<Pool>, Path(id): Path<String>) -> Html<String> {
    let conn = match pool.get().await {
        Ok(c) => c,
        Err(e) => return Html(format!("error {e}")),
    };
    let html = conn
        .interact(move |c| -> deadpool_sqlite::rusqlite::Result<Option<String>> {
            c.prepare_cached(
                "SELECT id, prefecture, kind, name, name_kana, municipality_code, block_code, postal_code, address,
                        phone, email, website, services, departments, notes, version, updated_at, fax, opening_hours
                 FROM agencies WHERE id = ?1",
            )?
            .query_row([id], |r| {
                let mut out = String::from("<dl>");
                for i in 0..19 {
                    let v: Option<String> = match r.get_ref(i)? {
                        deadpool_sqlite::rusqlite::types::ValueRef::Integer(n) => Some(n.to_string()),
                        deadpool_sqlite::rusqlite::types::ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into()),
                        _ => None,
                    };
                    out.push_str(&format!("<dt>{i}</dt><dd>{}</dd>", v.unwrap_or_default()));
                }
                out.push_str("</dl>");
                Ok(out)
            })
            .optional()
        })
        .await;
    Html(match html {
        Ok(Ok(Some(s))) => s,
        Ok(Ok(None)) => "not found".into(),
        Ok(Err(e)) => format!("error {e}"),
        Err(e) => format!("error {e}"),
    })
}

/// Runs `f` on a pooled connection and answers its text (or the error, as text).
async fn with<F>(pool: &Pool, f: F) -> Html<String>
where
    F: FnOnce(&mut deadpool_sqlite::rusqlite::Connection) -> deadpool_sqlite::rusqlite::Result<String> + Send + 'static,
{
    let conn = match pool.get().await {
        Ok(c) => c,
        Err(e) => return Html(format!("error {e}")),
    };
    Html(match conn.interact(f).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => format!("error {e}"),
        Err(e) => format!("error {e}"),
    })
}

/// What the caseload page reads of an agency's open cases for an optional reading's first kana
/// and stage: the same `FROM … WHERE …` as Tsunagu's store, with its parameters after the agency's.
fn caseload_source(kana: Option<&str>, stage: Option<&str>) -> (String, String, Vec<String>) {
    let mut source = "cases".to_owned();
    let mut filter = "c.agency_id = ?1 AND c.closed_on IS NULL".to_owned();
    let mut values = Vec::new();
    if let Some(kana) = kana {
        let mut range = |from: String| {
            values.push(from.clone());
            values.push(format!("{from}\u{10FFFF}"));
            let (a, b) = (values.len(), values.len() + 1);
            format!(
                "SELECT person_id, agency_id, name, name_kana, birth_date, opened_on, stage, last_contact_on, next_action,
                        next_action_on
                 FROM cases INDEXED BY cases_caseload
                 WHERE agency_id = ?1 AND closed_on IS NULL AND name_kana >= ?{a} AND name_kana < ?{b}"
            )
        };
        // The reading in both kana forms, as Tsunagu's search takes them from what was typed.
        let (_, hiragana, katakana) = tsunagu_domain::text::name_search_forms(kana);
        let (h, k) = (range(hiragana), range(katakana));
        source = format!("({h} UNION ALL {k})");
        filter = "1".to_owned();
    }
    if let Some(stage) = stage {
        values.push(stage.to_owned());
        filter += &format!(" AND c.stage = ?{}", values.len() + 1);
    }
    (source, filter, values)
}

/// An agency's next actions, follow-ups and plan reviews due within a week, `limit` of each, as
/// Tsunagu's caseload page and dashboard list them.
fn due_items(
    c: &deadpool_sqlite::rusqlite::Connection,
    agency: &str,
    limit: u32,
    out: &mut String,
) -> deadpool_sqlite::rusqlite::Result<()> {
    out.push_str("<ul>");
    for sql in [
        "SELECT person_id, name, next_action_on FROM cases
         WHERE agency_id = ?1 AND closed_on IS NULL AND next_action_on IS NOT NULL
           AND next_action_on <= date('now', '+7 days')
         ORDER BY next_action_on LIMIT ?2",
        "SELECT person_id, person_name, due_on FROM follow_ups
         WHERE agency_id = ?1 AND done_on IS NULL AND closed_on IS NULL AND due_on <= date('now', '+7 days')
         ORDER BY due_on LIMIT ?2",
        "SELECT person_id, person_name, review_on FROM support_plans
         WHERE agency_id = ?1 AND review_on IS NOT NULL AND review_on <= date('now', '+7 days')
         ORDER BY review_on LIMIT ?2",
    ] {
        let mut stmt = c.prepare_cached(sql)?;
        let mut rows = stmt.query(params![agency, limit])?;
        while let Some(r) = rows.next()? {
            let (id, name, on): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            out.push_str(&format!("<li>{on} <a href=\"/persons/{id}\">{name}</a></li>"));
        }
    }
    out.push_str("</ul>");
    Ok(())
}

/// `GET /caseload/{agency}?page=N[&kana=…][&stage=…]`: the caseload page's queries — its size
/// (the kept count, or `count(*)` when filtered), what is due, and the page by reading.
async fn caseload(
    State(pool): State<Pool>,
    Path(agency): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Html<String> {
    let page: i64 = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let get = |k: &str| q.get(k).filter(|s| !s.is_empty()).cloned();
    let (kana, stage) = (get("kana"), get("stage"));
    with(&pool, move |c| {
        let (source, filter, values) = caseload_source(kana.as_deref(), stage.as_deref());
        let params = || std::iter::once(agency.clone()).chain(values.iter().cloned());
        let total: i64 = if kana.is_none() && stage.is_none() {
            c.prepare_cached("SELECT COALESCE((SELECT open_cases FROM caseload_sizes WHERE agency_id = ?1), 0)")?
                .query_row([&agency], |r| r.get(0))?
        } else {
            c.prepare_cached(&format!("SELECT count(*) FROM {source} c WHERE {filter}"))?
                .query_row(deadpool_sqlite::rusqlite::params_from_iter(params()), |r| r.get(0))?
        };
        let mut out = format!("<p>{total}</p>");
        due_items(c, &agency, 20, &mut out)?;
        out.push_str("<table>");
        let n = values.len();
        let mut stmt = c.prepare_cached(&format!(
            "SELECT c.person_id, c.name, c.name_kana, c.birth_date, c.opened_on, c.stage, c.last_contact_on,
                    c.next_action, c.next_action_on
             FROM {source} c WHERE {filter}
             ORDER BY c.name_kana, c.person_id LIMIT 50 OFFSET ?{}",
            n + 2
        ))?;
        let offset = ((page - 1) * 50).to_string();
        let mut rows = stmt.query(deadpool_sqlite::rusqlite::params_from_iter(params().chain([offset])))?;
        while let Some(r) = rows.next()? {
            let cells: Vec<String> = (0..9)
                .map(|i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default))
                .collect::<deadpool_sqlite::rusqlite::Result<_>>()?;
            out.push_str(&format!("<tr><td>{}</td></tr>", cells.join("</td><td>")));
        }
        out.push_str("</table>");
        Ok(out)
    })
    .await
}

/// `GET /dashboard/{agency}`: the dashboard's reads — the count of open cases, what is due, the
/// referrals received and sent with their persons' names, and the notices.
async fn dashboard(State(pool): State<Pool>, Path(agency): Path<String>) -> Html<String> {
    with(&pool, move |c| {
        let total: i64 = c
            .prepare_cached("SELECT COALESCE((SELECT open_cases FROM caseload_sizes WHERE agency_id = ?1), 0)")?
            .query_row([&agency], |r| r.get(0))?;
        let mut out = format!("<p>{total}</p>");
        due_items(c, &agency, 50, &mut out)?;
        for column in ["to_agency", "from_agency"] {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT r.id, r.state, r.updated_at, p.name FROM referrals r JOIN persons p ON p.id = r.person_id
                 WHERE r.{column} = ?1 ORDER BY r.updated_at DESC, r.id LIMIT 100"
            ))?;
            let mut rows = stmt.query([&agency])?;
            while let Some(r) = rows.next()? {
                let (id, state, at, name): (String, String, String, String) =
                    (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
                out.push_str(&format!("<p>{at} {state} <a href=\"/referrals#{id}\">{name}</a></p>"));
            }
        }
        let mut stmt = c.prepare_cached(
            "SELECT referral_id, state, created_at, read_at FROM notices
             WHERE agency_id = ?1 ORDER BY created_at DESC, id LIMIT 50",
        )?;
        let mut rows = stmt.query([&agency])?;
        while let Some(r) = rows.next()? {
            let (id, state, at, read): (String, String, String, Option<String>) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            if read.is_none() {
                out.push_str(&format!("<p>{at} {state} {id}</p>"));
            }
        }
        Ok(out)
    })
    .await
}

/// `GET /timeline/{person}`: the person, their stage changes and their latest 500 support records.
async fn timeline(State(pool): State<Pool>, Path(person): Path<String>) -> Html<String> {
    with(&pool, move |c| {
        let name: String = c.prepare_cached("SELECT name FROM persons WHERE id = ?1")?.query_row([&person], |r| r.get(0))?;
        let mut out = format!("<h1>{name}</h1><table>");
        let mut stages = c.prepare_cached(
            "SELECT stage, on_date, agency_id, reason FROM stage_changes WHERE person_id = ?1 ORDER BY recorded_at, id",
        )?;
        let mut rows = stages.query([&person])?;
        while let Some(r) = rows.next()? {
            let (stage, on, agency, reason): (String, String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            out.push_str(&format!("<tr><td>{on}</td><td>{stage}</td><td>{agency}</td><td>{reason}</td></tr>"));
        }
        let mut records = c.prepare_cached(
            "SELECT on_date, kind, minutes, agency_id, staff_name, note, next_action, next_action_on FROM support_records
             WHERE person_id = ?1 ORDER BY on_date DESC, recorded_at DESC LIMIT 500",
        )?;
        let mut rows = records.query([&person])?;
        while let Some(r) = rows.next()? {
            let cells: Vec<String> = (0..8)
                .map(|i| match r.get_ref(i)? {
                    deadpool_sqlite::rusqlite::types::ValueRef::Integer(n) => Ok(n.to_string()),
                    deadpool_sqlite::rusqlite::types::ValueRef::Text(t) => Ok(String::from_utf8_lossy(t).into_owned()),
                    _ => Ok(String::new()),
                })
                .collect::<deadpool_sqlite::rusqlite::Result<_>>()?;
            out.push_str(&format!("<tr><td>{}</td></tr>", cells.join("</td><td>")));
        }
        out.push_str("</table>");
        Ok(out)
    })
    .await
}

/// `POST /support/{person}/{agency}`: inserts one support record and moves its case, as
/// Tsunagu's store does, in one transaction.
async fn support(State(pool): State<Pool>, Path((person, agency)): Path<(String, String)>) -> Html<String> {
    with(&pool, move |c| {
        let tx = c.transaction()?;
        let id = uuid::Uuid::now_v7().to_string();
        tx.prepare_cached(
            "UPDATE cases SET last_contact_on = date('now'), next_action = '職場訪問', next_action_on = date('now', '+7 days')
             WHERE person_id = ?1 AND agency_id = ?2 AND closed_on IS NULL
               AND (last_contact_on IS NULL OR last_contact_on <= date('now'))",
        )?
        .execute(params![person, agency])?;
        tx.prepare_cached(
            "INSERT INTO support_records (id, prefecture, person_id, agency_id, staff_id, staff_name, kind, on_date,
                minutes, note, next_action, next_action_on, recorded_at)
             VALUES (?1, '13', ?2, ?3, ?1, '支援 花子', 'phone', date('now'), 15, '電話で体調を確認', '職場訪問',
                date('now', '+7 days'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        )?
        .execute(params![id, person, agency])?;
        tx.commit()?;
        Ok(id)
    })
    .await
}

/// `GET /coach-totals/{from}/{to}`: every coach with the dispatches, days and minutes they worked
/// from `from` to `to`, by the statement Tsunagu's store runs, as a bare table.
async fn coach_totals(State(pool): State<Pool>, Path((from, to)): Path<(String, String)>) -> Html<String> {
    with(&pool, move |c| {
        let mut stmt = c.prepare_cached(tsunagu_store_sqlite::COACH_TOTALS)?;
        let mut rows = stmt.query(params![Option::<String>::None, from, to])?;
        let mut out = String::from("<table>");
        while let Some(r) = rows.next()? {
            let (name, kind): (String, String) = (r.get(3)?, r.get(4)?);
            let (cases, days, minutes): (i64, i64, i64) = (r.get(9)?, r.get(10)?, r.get(11)?);
            out.push_str(&format!(
                "<tr><td>{name}</td><td>{kind}</td><td>{cases}</td><td>{days}</td><td>{minutes}</td></tr>"
            ));
        }
        out.push_str("</table>");
        Ok(out)
    })
    .await
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(db), Some(addr)) = (args.next(), args.next()) else {
        eprintln!("usage: tsunagu-floor DB_FILE ADDR");
        std::process::exit(2);
    };
    // The same connection pool and connection settings as Tsunagu's (WAL, busy timeout), so
    // writes compare fairly.
    let pool = tsunagu_store_sqlite::pool::open(std::path::Path::new(&db), 8, |c| {
        c.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;")
    })?;
    let app = Router::new()
        .route("/agencies", get(search))
        .route("/agencies/{id}", get(agency))
        .route("/caseload/{agency}", get(caseload))
        .route("/dashboard/{agency}", get(dashboard))
        .route("/timeline/{person}", get(timeline))
        .route("/support/{person}/{agency}", axum::routing::post(support))
        .route("/coach-totals/{from}/{to}", get(coach_totals))
        .with_state(pool);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await?;
    Ok(())
}
