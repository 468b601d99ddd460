//! What an outside probe of the demo found, as HTTP requests a user or an attacker could send,
//! each with what must happen now; on both engines, so that none of them returns. Every probe
//! runs, and the test lists every one that failed.

mod common;

use std::io::Write;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Relation, TestApp, bearer, on_postgres, spawn_app, upload};
use tsunagu_domain::audit::AuditAction;
use tsunagu_store::AuditQuery;

/// The probes' findings: what held and what did not.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn check(&mut self, probe: &str, held: bool, detail: impl std::fmt::Display) {
        if !held {
            self.0.push(format!("{probe}: {detail}"));
        }
    }
}

async fn audit_count(t: &TestApp, action: AuditAction) -> usize {
    let query = AuditQuery { action: Some(action), limit: 10_000, ..AuditQuery::default() };
    t.app.store().search_audit(&query).await.unwrap().len()
}

/// An XLSX file of a few hundred kilobytes whose one sheet inflates past the limit.
fn xlsx_bomb() -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("xl/worksheets/sheet1.xml", zip::write::SimpleFileOptions::default()).unwrap();
    let spaces = vec![b' '; 1024 * 1024];
    for _ in 0..70 {
        zip.write_all(&spaces).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

async fn probe(t: TestApp) {
    let mut f = Findings::default();
    let persons = t.person_fixtures().await;
    let own = t.account("person").await.person.unwrap().0.to_string();
    let elsewhere = persons.iter().find(|(r, _)| *r == Relation::Unrelated).unwrap().1.clone();

    // 1. A decompression bomb is refused before it is read, and the answer stays small.
    t.sign_in("admin").await;
    let bomb = xlsx_bomb();
    let r = t.request(upload("/agencies/import", &t.csrf().unwrap(), &bomb, &[])).await;
    f.check("xlsx bomb", r.status == StatusCode::UNPROCESSABLE_ENTITY, r.status);
    f.check("xlsx bomb message", r.body.contains("Excel ファイルの中身が大きすぎます"), "no message");
    f.check("xlsx bomb answer size", r.body.len() < 64 * 1024, r.body.len());

    // 2. A formula planted in the directory is written as text in the open export.
    let id = t.agency_id("ハローワーク飯田橋").await;
    let mut agency = t.app.agency(tsunagu_domain::directory::AgencyId(id.parse().unwrap())).await.unwrap();
    agency.fields.address = Some("=HYPERLINK(\"http://attacker.example\",\"地図\")".into());
    agency.version += 1;
    t.app.store().update_agency(&agency).await.unwrap();
    t.sign_out_locally();
    let csv = t.get("/agencies/export.csv").await.body;
    f.check("formula in the directory export", csv.contains("'=HYPERLINK("), "not neutralised");
    let runs = |cell: &str| cell.trim_start_matches('"').starts_with('=');
    f.check("formula cell", !csv.split([',', '\n']).any(runs), "a cell starts with =");

    // 6. Nothing personal is cached; metrics are not open.
    t.sign_in("worker").await;
    let page = t.get(&format!("/persons/{own}")).await;
    f.check(
        "no-store on a person's page",
        page.headers.get(header::CACHE_CONTROL).is_some_and(|v| v == "no-store"),
        "",
    );
    let metrics = t.get("/metrics").await;
    f.check("metrics not on the public address", metrics.status == StatusCode::NOT_FOUND, metrics.status);

    // 7. Forged cookies do not grow the log by one entry each.
    let before = audit_count(&t, AuditAction::CredentialRejected).await;
    for _ in 0..200 {
        let forged = format!("tsunagu_session={}", "ab".repeat(32));
        t.raw(Request::get("/").header(header::COOKIE, forged).body(Body::empty()).unwrap()).await;
    }
    let grew = audit_count(&t, AuditAction::CredentialRejected).await - before;
    f.check("200 forged cookies", grew <= 2, format!("{grew} entries"));

    // 8. A dead cookie does not undo the sign-in that replaces it; `next` cannot break it.
    t.sign_out_locally();
    let login = t.raw(Request::get("/login").body(Body::empty()).unwrap()).await;
    let csrf = common::csrf_in(&login.body);
    let login_cookie = common::set_cookie(&login, "tsunagu_login_csrf").unwrap();
    let body = format!("csrf={csrf}&next=%2Fpersons%01x&login=worker&password=tsunagu-demo-2024");
    let cookies = format!("{login_cookie}; tsunagu_session={}", "cd".repeat(32));
    let signed_in = t
        .raw(
            Request::post("/login")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookies)
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    f.check("sign-in with a control character in next", signed_in.status == StatusCode::SEE_OTHER, signed_in.status);
    f.check("…goes to the start page", signed_in.location() == "/", signed_in.location());
    let session = common::set_cookie(&signed_in, "tsunagu_session").unwrap_or_default();
    let kept = session.len() > "tsunagu_session=".len();
    f.check("sign-in over a dead cookie keeps the new session", kept, "the session cookie was cleared");

    // 8. Signing out everywhere can end the API tokens too.
    t.sign_in("worker").await;
    let token = t.new_token("連携システム", &["persons_read"]).await;
    let with_token = t.raw(bearer("GET", "/api/v1/persons", &token, None)).await;
    f.check("a token works", with_token.status == StatusCode::OK, with_token.status);
    let out = t.post_form("/account/sign-out-everywhere", &[("revoke_tokens", "on")]).await;
    f.check(
        "signing out everywhere says so",
        out.location() == "/login?signed_out=everywhere_and_tokens",
        out.location(),
    );
    let after = t.raw(bearer("GET", "/api/v1/persons", &token, None)).await;
    f.check("the token is revoked with the sessions", after.status == StatusCode::UNAUTHORIZED, after.status);

    // 9. The framework's own refusals speak the project's format.
    t.sign_in("admin").await;
    let json = |body: &'static str, content_type: &'static str| {
        Request::post("/api/v1/agencies").header(header::CONTENT_TYPE, content_type).body(Body::from(body)).unwrap()
    };
    for (probe, request, status) in [
        ("malformed JSON", json("{", "application/json"), StatusCode::BAD_REQUEST),
        ("wrong content type", json("{}", "text/plain"), StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ] {
        let r = t.request(request).await;
        f.check(probe, r.status == status, r.status);
        f.check(probe, r.body.starts_with("{\"errors\":["), &r.body);
    }
    let huge = "x".repeat(300 * 1024);
    let r = t.post_form("/agencies", &[("name", huge.as_str())]).await;
    f.check("a page's oversize body", r.status == StatusCode::PAYLOAD_TOO_LARGE, r.status);
    f.check("…is an error page", r.body.contains("<html lang=\"ja\">"), "plain text");
    t.sign_in("worker").await;
    let latin1 = t
        .request(
            Request::post(format!("/persons/{own}/support"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "csrf={}&kind=phone&date=2026-11-01&minutes=10&note=caf%E9",
                    t.csrf().unwrap()
                )))
                .unwrap(),
        )
        .await;
    f.check("a form that is not UTF-8", latin1.status == StatusCode::BAD_REQUEST, latin1.status);

    // 10. Values no one means are refused, with the bound in the message.
    let support = |date: &'static str, next_on: &'static str| {
        vec![
            ("kind", "phone"),
            ("date", date),
            ("minutes", "10"),
            ("note", "体調の確認"),
            ("next_action", "次回の連絡"),
            ("next_action_on", next_on),
        ]
    };
    let r = t.post_form(&format!("/persons/{own}/support"), &support("0001-01-01", "")).await;
    f.check("a record dated 0001-01-01", r.body.contains("2000年1月1日以降"), r.status);
    let r = t.post_form(&format!("/persons/{own}/support"), &support("2026-11-01", "9999-12-31")).await;
    f.check("a next action on 9999-12-31", r.body.contains("今日から2年以内"), r.status);
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc()).to_string();
    for (probe, name, kana, birth, message) in [
        ("a birth date of today", "山田 一", "やまだ はじめ", today.as_str(), "15年以上前"),
        ("a reading in latin letters", "山田 一", "abc", "1990-01-01", "ひらがなまたはカタカナ"),
        ("a bidi override in a name", "山田\u{202E}一", "やまだ はじめ", "1990-01-01", "表示順を変える"),
    ] {
        let form = [
            ("purposes", "support"),
            ("consent_categories", "basic"),
            ("consent_categories", "support"),
            ("evidence", "paper_form"),
            ("name", name),
            ("name_kana", kana),
            ("birth_date", birth),
        ];
        let r = t.post_form("/persons", &form).await;
        f.check(probe, r.status == StatusCode::UNPROCESSABLE_ENTITY && r.body.contains(message), r.status);
    }
    let extra = format!("本人ID,支援日,種別,時間(分),内容\n{own},2026-11-01,電話,10,体調の確認,余分な値\n");
    let r = t.request(upload("/persons/import/support-records", &t.csrf().unwrap(), extra.as_bytes(), &[])).await;
    f.check("an import row with a cell beyond the headings", r.body.contains("見出しのない列に値があります"), r.status);

    // 3. Fifty registrations of one person at once: one is registered, the rest are shown the
    // possible duplicate; confirmed, all fifty are registered and every pair is linked.
    let register = |name: &'static str, kana: &'static str, confirm: &'static str| {
        let t = &t;
        async move {
            let mut form = common::registration(name, kana, "1988-08-08");
            form.push(("confirm_duplicate", confirm));
            let form = &form;
            let statuses = (0..50).map(|_| async move { t.post_form("/persons", form).await.status });
            futures_util::future::join_all(statuses).await
        }
    };
    let statuses = register("競合 一郎", "きょうごう いちろう", "").await;
    let registered = statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count();
    let shown = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    f.check("50 concurrent registrations of one person", (registered, shown) == (1, 49), format!("{statuses:?}"));
    let statuses = register("競合 二郎", "きょうごう じろう", "yes").await;
    let registered = statuses.iter().filter(|s| **s == StatusCode::SEE_OTHER).count();
    f.check("50 confirmed concurrent registrations", registered == 50, format!("{statuses:?}"));
    let key = tsunagu_domain::person::duplicate_key("きょうごう じろう", time::macros::date!(1988 - 08 - 08));
    let mut pairs = 0;
    for m in t.app.store().persons_with_duplicate_keys(&[key]).await.unwrap() {
        pairs += t.app.store().person_file(m.person).await.unwrap().unwrap().links.len();
    }
    f.check("…every pair linked", pairs == 50 * 49, format!("{pairs} links of 2,450"));

    // 11. Scope: a coordinator's override stays in the block; forms only for who can save them;
    // an import naming someone else's client is refused and audited.
    t.sign_in("coordinator").await;
    let reason = "職場で倒れたと連絡があり、緊急連絡先を確認する";
    let r = t.post_form(&format!("/persons/{elsewhere}/override"), &[("reason", reason)]).await;
    f.check("a coordinator's override outside the block", r.status == StatusCode::FORBIDDEN, r.status);
    let essay = "理由".repeat(2_500);
    let r = t.post_form(&format!("/persons/{own}/override"), &[("reason", essay.as_str())]).await;
    f.check("an override reason of 5,000 characters", r.body.contains("1,000文字以内"), r.status);
    let book = "理由".repeat(50_000);
    let r = t.post_form(&format!("/persons/{own}/override"), &[("reason", book.as_str())]).await;
    f.check("an override reason of 100,000 characters", r.status == StatusCode::PAYLOAD_TOO_LARGE, r.status);
    t.sign_in("worker").await;
    let r = t.get("/agencies/import").await;
    f.check("the import form to a worker", r.status == StatusCode::FORBIDDEN, r.status);
    let denied_before = audit_count(&t, AuditAction::AccessDenied).await;
    let other = format!("本人ID,支援日,種別,時間(分),内容\n{elsewhere},2026-11-01,電話,10,体調の確認\n");
    let r = t.request(upload("/persons/import/support-records", &t.csrf().unwrap(), other.as_bytes(), &[])).await;
    f.check("an import naming another caseload's person", r.status == StatusCode::UNPROCESSABLE_ENTITY, r.status);
    let denied = audit_count(&t, AuditAction::AccessDenied).await - denied_before;
    f.check("…is audited", denied == 1, format!("{denied} refusals audited"));

    assert!(f.0.is_empty(), "{} probes got through:\n{}", f.0.len(), f.0.join("\n"));
}

#[tokio::test]
async fn no_probe_gets_through_on_sqlite() {
    probe(spawn_app().await).await;
}

#[tokio::test]
async fn no_probe_gets_through_on_postgres() {
    on_postgres(probe).await;
}
