//! `tsunagu-floor DB ADDR`: a minimal axum + rusqlite server that runs the directory's search
//! and agency-page SQL on Tsunagu's database file and writes the rows out as bare HTML. No
//! templates, no validation, no reference data, no middleware: the floor Tsunagu's figures are
//! compared with.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::serve::ListenerExt;
use deadpool_sqlite::rusqlite::{OptionalExtension, params};
use deadpool_sqlite::{Config, Pool, Runtime};

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
                        phone, email, website, services, departments, notes, version, updated_at
                 FROM agencies WHERE id = ?1",
            )?
            .query_row([id], |r| {
                let mut out = String::from("<dl>");
                for i in 0..17 {
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

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(db), Some(addr)) = (args.next(), args.next()) else {
        eprintln!("usage: tsunagu-floor DB_FILE ADDR");
        std::process::exit(2);
    };
    let mut config = Config::new(db);
    config.pool = Some(deadpool_sqlite::PoolConfig::new(8));
    let pool = config.create_pool(Runtime::Tokio1)?;
    let app = Router::new().route("/agencies", get(search)).route("/agencies/{id}", get(agency)).with_state(pool);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await?;
    Ok(())
}
