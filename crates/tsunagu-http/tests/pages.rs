//! The pages as a user meets them: search, read, create, edit, import, and the errors.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::spawn_app;
use http_body_util::BodyExt;
use tower::ServiceExt;

#[tokio::test]
async fn every_page_is_japanese_by_default_with_one_h1_and_a_strict_csp() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let id = t.agency_id("ハローワーク飯田橋").await;
    for uri in [
        "/".to_owned(),
        "/agencies".into(),
        format!("/agencies/{id}"),
        format!("/agencies/{id}/edit"),
        "/agencies/new".into(),
        "/agencies/import".into(),
        "/blocks".into(),
        "/municipalities".into(),
        "/municipalities/131016/edit".into(),
    ] {
        let r = t.get(&uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(r.body.contains("<html lang=\"ja\">"), "{uri}");
        assert_eq!(r.body.matches("<h1").count(), 1, "{uri}");
        assert!(r.body.contains("class=\"skip-link\" href=\"#main\""), "{uri}");
        assert!(!r.body.contains("<script"), "{uri}");
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), "{uri}");
        assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
}

#[tokio::test]
async fn english_is_chosen_by_query_and_remembered_by_cookie() {
    let t = spawn_app().await;
    let r = t.get("/agencies?lang=en").await;
    assert!(r.body.contains("<html lang=\"en\">") && r.body.contains("Find agencies"));
    let cookie = r.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("lang=en") && cookie.contains("SameSite=Lax"));
    let next = t.request(Request::get("/blocks").header(header::COOKIE, "lang=en").body(Body::empty()).unwrap()).await;
    assert!(next.body.contains("<html lang=\"en\">") && next.body.contains("Coordinating agency"));
    assert!(next.body.contains("href=\"/blocks?lang=ja\""), "the switch leads back to Japanese");
}

#[tokio::test]
async fn search_ignores_width_and_kana_and_filters_combine() {
    let t = spawn_app().await;
    let r = t.get(&format!("/agencies?q={}", common::urlencode("ﾊﾛｰﾜｰｸ"))).await;
    assert!(r.body.contains("17 件"), "all 17 Hello Work offices");
    let r = t.get("/agencies?kind=hello_work&block=tama_seibu").await;
    assert!(r.body.contains("ハローワーク青梅") && r.body.contains("1 件"));
    let r = t.get("/agencies?municipality=131016&kind=municipal_support_centre").await;
    assert!(r.body.contains("千代田区障害者就労支援センター"));
}

#[tokio::test]
async fn unknown_filters_are_a_clear_error_not_an_empty_list() {
    let t = spawn_app().await;
    for uri in ["/agencies?block=mars", "/agencies?kind=bank", "/agencies?municipality=131017", "/agencies?page=0"] {
        let r = t.get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.body.contains("検索条件が正しくありません"), "{uri}");
    }
}

#[tokio::test]
async fn the_directory_pages_through_results() {
    let t = spawn_app().await;
    let r = t.get("/agencies?kind=welfare_facility").await;
    assert!(r.body.contains("1 / 5 ページ"), "240 facilities in pages of 50");
    assert!(r.body.contains("href=\"/agencies?page=2&#38;kind=welfare_facility\" rel=\"next\""));
    assert!(r.body.contains("aria-label=\"5ページ目\""), "the pages are numbered");
    let last = t.get("/agencies?kind=welfare_facility&page=5").await;
    assert!(last.body.contains("rel=\"prev\"") && !last.body.contains("rel=\"next\""));

    // An agency opened from page 2 leads back to page 2 of the same search; a forged way back
    // leads to the list and nowhere else.
    let second = t.get("/agencies?kind=welfare_facility&page=2").await;
    let start = second.body.find("<tbody").unwrap();
    let start = start + second.body[start..].find("href=\"/agencies/").unwrap() + "href=\"".len();
    let link = second.body[start..].split('"').next().unwrap().replace("&#38;", "&");
    let agency = t.get(&link).await;
    assert!(agency.body.contains("href=\"/agencies?page=2&#38;kind=welfare_facility\""), "{link}: {}", agency.body);
    let id = link.split('?').next().unwrap();
    let forged = t.get(&format!("{id}?back={}", common::urlencode("//evil.example/#"))).await;
    assert!(forged.body.contains("<a class=\"button-secondary button\" href=\"/agencies\">"), "{}", forged.body);
}

#[tokio::test]
async fn creating_an_agency_redirects_to_it_with_a_notice() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let r = t
        .post_form(
            "/agencies",
            &[
                ("kind", "welfare_facility"),
                ("name", "つなぐワークス"),
                ("name_kana", "ツナグワークス"),
                ("municipality_code", "131041"),
                ("phone", "０３－０００１－２３４５"),
                ("services", "transition_support"),
                ("services", "retention_support"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = t.get(r.location()).await;
    assert!(page.body.contains("登録しました。"));
    assert!(page.body.contains("03-0001-2345"), "full-width digits are normalised");
    assert!(page.body.contains("就労移行支援、就労定着支援"));
    assert!(page.body.contains("城北"), "the block follows the municipality");
}

#[tokio::test]
async fn an_invalid_form_comes_back_with_linked_errors_and_the_input_kept() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let r = t
        .post_form(
            "/agencies",
            &[
                ("kind", "hello_work"),
                ("name", "<b>仮</b>"),
                ("name_kana", "仮"),
                ("municipality_code", "131017"),
                ("website", "ftp://x.jp"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("class=\"error-summary\""));
    assert!(r.body.contains("<a href=\"#name_kana\">ふりがなはひらがなまたはカタカナで入力してください。</a>"));
    assert!(
        r.body.contains(
            "<a href=\"#website\">ウェブサイトは http:// または https:// で始まるアドレスにしてください。</a>"
        )
    );
    assert!(r.body.contains("aria-describedby=\"name_kana-hint name_kana-error\""));
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert!(r.body.contains("value=\"&#60;b&#62;仮&#60;/b&#62;\""), "input kept, escaped");
    assert!(!r.body.contains("<b>仮</b>"));
}

#[tokio::test]
async fn a_stale_edit_shows_what_changed_and_saves_nothing() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let id = t.agency_id("ハローワーク渋谷").await;
    let form = |phone: &'static str| {
        vec![
            ("version", "1"),
            ("kind", "hello_work"),
            ("name", "ハローワーク渋谷"),
            ("name_kana", "はろーわーくしぶや"),
            ("municipality_code", "131130"),
            ("phone", phone),
        ]
    };
    let first = t.post_form(&format!("/agencies/{id}/edit"), &form("03-3476-8609")).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert!(t.get(first.location()).await.body.contains("保存しました。"));
    let stale = t.post_form(&format!("/agencies/{id}/edit"), &form("03-1111-2222")).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("ほかの人が先にこの機関を更新しました"));
    assert!(stale.body.contains("<td>03-3476-8609</td><td>03-1111-2222</td>"));
    assert!(stale.body.contains("name=\"version\" value=\"2\""), "saving again knowingly is possible");
    assert!(t.get(&format!("/agencies/{id}")).await.body.contains("03-3476-8609"));
}

#[tokio::test]
async fn unknown_agencies_and_paths_are_404_pages() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    for uri in [
        "/agencies/00000000-0000-0000-0000-000000000000",
        "/agencies/not-a-uuid",
        "/nowhere",
        "/municipalities/999999/edit",
    ] {
        let r = t.get(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(r.body.contains("ページが見つかりません"), "{uri}");
    }
}

fn multipart(csrf: &str, file: &[u8]) -> Request<Body> {
    common::upload("/agencies/import", csrf, file, &[])
}

#[tokio::test]
async fn an_import_with_a_bad_line_lists_it_and_writes_nothing() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let before = t.get("/agencies").await.body;
    let csv = "種別,名称,ふりがな,電話番号\n福祉施設,新しい作業所,あたらしいさぎょうしょ,03-0000-9999\n福祉施設,電話なし,でんわなし,123\n";
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(csv);
    let r = t.request(multipart(&t.csrf().unwrap(), &sjis)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(
            "<td>3</td><td>電話番号</td><td>電話番号は0から始まる10桁または11桁の番号で入力してください。</td>"
        )
    );
    assert_eq!(t.get("/agencies").await.body, before);
    let fixed = csv.replace(",123", ",03-0000-9998");
    let r = t.request(multipart(&t.csrf().unwrap(), fixed.as_bytes())).await;
    assert!(r.body.contains("取り込みました: 新規 2 件、更新 0 件。"), "{}", r.body);
}

#[tokio::test]
async fn an_import_without_a_file_says_so() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let r = t.request(multipart(&t.csrf().unwrap(), b"")).await;
    assert!(r.body.contains("ファイルを選んでください。"));
}

#[tokio::test]
async fn exports_are_downloads_in_both_formats() {
    let t = spawn_app().await;
    let csv = t.get("/agencies/export.csv").await;
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let disposition = csv.headers[header::CONTENT_DISPOSITION].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment; "), "a download, never shown inline");
    let name = common::urlencode(&format!("機関一覧_{today}.csv"));
    assert!(disposition.contains(&format!("filename*=UTF-8''{name}")), "{disposition}");
    assert!(csv.body.contains("ハローワーク飯田橋"));
    let xlsx = t.request(Request::get("/agencies/export.xlsx").body(Body::empty()).unwrap()).await;
    assert_eq!(xlsx.status, StatusCode::OK);
}

#[tokio::test]
async fn a_municipality_can_be_reassigned_and_confirmed() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let r = t
        .post_form(
            "/municipalities/133612/edit",
            &[("block_code", "jonan"), ("block_confirmed", "true"), ("runs_support_centre", "true")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = t.get(r.location()).await;
    assert!(page.body.contains("大島町 を保存しました。"));
    let bad = t.post_form("/municipalities/133612/edit", &[("block_code", "mars")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("ブロックに一致するブロックがありません。"));
}

#[tokio::test]
async fn provisional_block_assignments_are_labelled() {
    let t = spawn_app().await;
    for uri in ["/blocks", "/municipalities"] {
        let r = t.get(uri).await;
        assert!(r.body.contains("ブロックへの区市町村の割り当ては暫定です"), "{uri}");
        assert!(r.body.contains("<span class=\"badge\">暫定</span>"), "{uri}");
    }
}

#[tokio::test]
async fn health_answers_and_metrics_only_on_their_own_address_or_with_the_token() {
    let t = spawn_app().await;
    let h = t.get("/healthz").await;
    assert_eq!((h.status, h.body.as_str()), (StatusCode::OK, "ok sqlite\n"));
    t.get("/agencies").await;
    assert_eq!(t.get("/metrics").await.status, StatusCode::NOT_FOUND);

    let get = |router: axum::Router, token: Option<&'static str>| async move {
        let mut request = Request::get("/metrics");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let response = router.oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        (status, String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap())
    };
    let (status, body) = get(tsunagu_http::metrics_router(), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("route=\"/agencies\""), "{body}");

    let options = tsunagu_http::Options { demo: true, metrics_token: Some("s3cret-token".into()) };
    let with_token = tsunagu_http::router_with(t.app.clone(), options);
    assert_eq!(get(with_token.clone(), None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(get(with_token.clone(), Some("s3cret")).await.0, StatusCode::UNAUTHORIZED);
    let (status, body) = get(with_token, Some("s3cret-token")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("http_requests_total"), "{body}");
}

#[tokio::test]
async fn nothing_personal_is_cached_and_tls_gets_strict_transport_security() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    for uri in ["/persons", "/persons/export.csv", "/api/v1/agencies", "/login", "/no-such-page"] {
        let r = t.get(uri).await;
        assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store", "{uri}");
        assert!(r.headers.get(header::STRICT_TRANSPORT_SECURITY).is_none(), "{uri} over plain HTTP");
    }
    let css = t.get("/assets/app.css").await;
    assert_eq!(css.headers.get(header::CACHE_CONTROL).unwrap(), "public, max-age=3600");
    let behind_tls =
        t.request(Request::get("/persons").header("x-forwarded-proto", "https").body(Body::empty()).unwrap()).await;
    assert_eq!(
        behind_tls.headers.get(header::STRICT_TRANSPORT_SECURITY).unwrap(),
        "max-age=31536000; includeSubDomains"
    );
}

#[tokio::test]
async fn a_block_can_be_renamed_and_both_names_are_required() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    assert_eq!(t.get("/blocks/johoku/edit").await.status, StatusCode::OK);
    let bad = t.post_form("/blocks/johoku/edit", &[("name_ja", " "), ("name_en", "North")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("<a href=\"#name_ja\">名称（日本語）を入力してください。</a>"));
    // Another block's name, in either language, would make the two indistinguishable.
    let taken = t.post_form("/blocks/johoku/edit", &[("name_ja", "城東"), ("name_en", "joto")]).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken.body.contains("<a href=\"#name_ja\">ほかのブロックがすでにこの名前を使っています。"),
        "{}",
        taken.body
    );
    assert!(taken.body.contains("<a href=\"#name_en\">ほかのブロックがすでにこの名前を使っています。"));
    assert!(taken.body.contains("value=\"城東\""), "what was typed is kept");
    let ok = t.post_form("/blocks/johoku/edit", &[("name_ja", "城北圏域"), ("name_en", "Johoku area")]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let page = t.get(ok.location()).await;
    assert!(page.body.contains("城北圏域 を保存しました。"));
    assert!(t.get("/agencies").await.body.contains("<option value=\"johoku\">城北圏域</option>"));
    assert_eq!(t.get("/blocks/mars/edit").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn writing_needs_a_signed_in_account_and_the_sessions_form_token() {
    let t = spawn_app().await;
    let r = t.get("/agencies/new").await;
    assert_eq!((r.status, r.location()), (StatusCode::SEE_OTHER, "/login?next=%2Fagencies%2Fnew"));
    let r = t.post_form("/agencies", &[("kind", "hello_work")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().starts_with("/login"));
    t.sign_in("admin").await;
    let r = t.post_form("/agencies", &[("kind", "hello_work"), ("csrf", "forged")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A form from another session is out of date, which is not the same as a refusal.
    assert!(r.body.contains("このページは古くなっています") && r.body.contains("ページを開き直して"), "{}", r.body);
    assert!(!r.body.contains("この操作はできません"));
}

#[tokio::test]
async fn staff_see_the_edit_link_only_where_they_may_edit() {
    let t = spawn_app().await;
    let id = t.agency_id("ハローワーク飯田橋").await;
    assert!(!t.get(&format!("/agencies/{id}")).await.body.contains("/edit\""), "anonymous readers get no edit link");
    t.sign_in("hellowork").await;
    assert!(t.get(&format!("/agencies/{id}")).await.body.contains(&format!("/agencies/{id}/edit")));
    let other = t.agency_id("ハローワーク上野").await;
    assert!(!t.get(&format!("/agencies/{other}")).await.body.contains(&format!("/agencies/{other}/edit")));
    let r = t
        .post_form(
            &format!("/agencies/{other}/edit"),
            &[("version", "1"), ("kind", "hello_work"), ("name", "x"), ("name_kana", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_wrong_password_says_so_without_saying_which_part_was_wrong() {
    let t = spawn_app().await;
    for (login, password) in [("admin", "not the password"), ("nobody", "not the password")] {
        let r = t.try_sign_in(login, password).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("ログイン名またはパスワードが違います。"));
        assert!(common::set_cookie(&r, "tsunagu_session").is_none());
    }
}

#[tokio::test]
async fn sign_in_without_the_forms_token_is_refused() {
    let t = spawn_app().await;
    let r =
        t.post_form("/login", &[("login", "admin"), ("password", tsunagu_demo::DEMO_PASSWORD), ("csrf", "x")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("もう一度入力してください"));
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_a_clear_message() {
    let t = spawn_app().await;
    for _ in 0..5 {
        t.try_sign_in("worker", "guessing again").await;
    }
    let r = t.try_sign_in("worker", tsunagu_demo::DEMO_PASSWORD).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("15分ほどしてからお試しください"));
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    assert!(t.get("/account").await.body.contains("就労支援員"));
    let r = t.post_form("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(common::set_cookie(&r, "tsunagu_session").is_some_and(|c| c == "tsunagu_session="));
    let r = t.get("/account").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "the old cookie no longer opens a session");
}

/// The text of each cell of each body row of the page's tables, whatever the cells' attributes.
fn table_rows(body: &str) -> Vec<Vec<String>> {
    body.split("<tr")
        .skip(1)
        .map(|row| {
            let row = row.split("</tr>").next().unwrap_or_default();
            row.split("<td")
                .skip(1)
                .map(|cell| {
                    let inner = cell.split_once('>').map_or("", |(_, rest)| rest);
                    inner.split("</td>").next().unwrap_or_default().to_owned()
                })
                .collect()
        })
        .collect()
}

/// True when some row holds `cells` side by side.
fn has_cells(body: &str, cells: &[&str]) -> bool {
    table_rows(body).iter().any(|row| row.windows(cells.len()).any(|w| w.iter().zip(cells).all(|(a, b)| a == b)))
}

#[tokio::test]
async fn administrators_search_the_audit_log_and_others_may_not() {
    let t = spawn_app().await;
    t.try_sign_in("worker", "not the password").await;
    t.sign_in("worker").await;
    assert_eq!(t.get("/admin/audit").await.status, StatusCode::FORBIDDEN);
    t.sign_in("admin").await;
    let all = t.get("/admin/audit").await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(has_cells(&all.body, &["ログイン失敗", "account:worker"]));
    let failures = t.get("/admin/audit?action=sign_in_failed").await;
    assert!(failures.body.contains("address:unknown") && !has_cells(&failures.body, &["admin"]));
    let by_worker = t.get("/admin/audit?actor=worker").await;
    assert!(has_cells(&by_worker.body, &["worker", "ログイン"]));
    assert!(!has_cells(&by_worker.body, &["ログイン失敗"]), "failures are logged under the address, not the login");
    assert_eq!(t.get("/admin/audit?action=teleport").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_forged_or_ended_session_is_cleared_recorded_and_explained() {
    let t = spawn_app().await;
    let forged = format!("tsunagu_session={}", "ab".repeat(32));
    let r = t.raw(Request::get("/agencies").header(header::COOKIE, &forged).body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::OK, "the directory is still served, anonymously");
    assert!(r.body.contains("ログインの有効期限が切れたか、ログインが無効になりました。"));
    assert_eq!(common::set_cookie(&r, "tsunagu_session").as_deref(), Some("tsunagu_session="));
    t.sign_in("admin").await;
    let audit = t.get("/admin/audit?action=credential_rejected").await;
    assert!(has_cells(&audit.body, &["address:unknown", "無効な認証情報", "session"]), "{}", audit.body);
    assert!(!audit.body.contains(&"ab".repeat(32)), "the credential itself is never recorded");
}

#[tokio::test]
async fn the_menu_offers_only_what_the_account_may_do_and_anyone_can_download_the_directory() {
    let t = spawn_app().await;
    let anonymous = t.get("/agencies").await.body;
    assert!(!anonymous.contains("href=\"/agencies/new\"") && !anonymous.contains("href=\"/agencies/import\""));
    assert!(
        anonymous.contains("href=\"/agencies/export.csv\"") && anonymous.contains("href=\"/agencies/export.xlsx\"")
    );
    t.sign_in("worker").await;
    let worker = t.get("/").await.body;
    assert!(!worker.contains("href=\"/agencies/new\"") && !worker.contains("href=\"/agencies/import\""));
    t.sign_in("coordinator").await;
    let coordinator = t.get("/").await.body;
    assert!(coordinator.contains("href=\"/agencies/new\"") && !coordinator.contains("href=\"/agencies/import\""));
    t.sign_in("admin").await;
    let admin = t.get("/").await.body;
    assert!(admin.contains("href=\"/agencies/new\"") && admin.contains("href=\"/agencies/import\""));
}

#[tokio::test]
async fn an_agency_page_rings_its_phone_number() {
    let t = spawn_app().await;
    let list = t.get(&format!("/agencies?q={}", common::urlencode("ハローワーク飯田橋"))).await;
    let start = list.body.find("<tbody").unwrap();
    let start = start + list.body[start..].find("href=\"/agencies/").unwrap() + "href=\"".len();
    let href = list.body[start..].split('"').next().unwrap().to_owned();
    let page = t.get(&href).await;
    let tel = page.body.find("href=\"tel:").expect("the phone is a tel: link");
    let digits: String = page.body[tel + "href=\"tel:".len()..].chars().take_while(|c| c.is_ascii_digit()).collect();
    assert!(digits.len() >= 10, "the link dials the digits only: {digits}");
}

#[tokio::test]
async fn an_agency_page_shows_its_fax_and_opening_hours_where_known() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let id = t.agency_id("ハローワーク渋谷").await;
    assert!(t.get(&format!("/agencies/{id}")).await.body.contains("<dt>FAX</dt>"), "the demo agencies have a FAX");
    let mut form = vec![
        ("version", "1"),
        ("kind", "hello_work"),
        ("name", "ハローワーク渋谷"),
        ("name_kana", "はろーわーくしぶや"),
        ("municipality_code", "131130"),
        ("phone", "03-3476-8609"),
        ("fax", "FAX"),
        ("opening_hours", "平日 8:30〜17:15"),
    ];
    let bad = t.post_form(&format!("/agencies/{id}/edit"), &form).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("<a href=\"#fax\">FAXは0から始まる10桁または11桁の番号で入力してください。</a>"));
    assert!(bad.body.contains("value=\"平日 8:30〜17:15\""), "the hours as typed are kept");
    form[6] = ("fax", "０３（３４７６）８６１０");
    let saved = t.post_form(&format!("/agencies/{id}/edit"), &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = t.get(&format!("/agencies/{id}")).await;
    assert!(page.body.contains("<dt>FAX</dt><dd>03-3476-8610</dd>"), "shown, not a tel: link");
    assert!(page.body.contains("<dt>受付時間</dt><dd>平日 8:30〜17:15</dd>"));
    let csv = t.get("/agencies/export.csv").await.body;
    let header = csv.lines().next().unwrap();
    assert!(header.contains("電話番号,FAX,メールアドレス,ウェブサイト,受付時間"), "{header}");
    assert!(csv.contains("03-3476-8610") && csv.contains("平日 8:30〜17:15"));
}

#[tokio::test]
async fn english_pages_name_municipalities_in_romaji_and_list_with_commas() {
    let t = spawn_app().await;
    let en = t.get("/municipalities?lang=en").await.body;
    assert!(en.contains("Chiyoda City") && en.contains("Hachioji City") && en.contains("Hinohara Village"));
    assert!(!en.contains(">千代田区<"), "the Japanese name is not the English page's");
    let ja = t.get("/municipalities?lang=ja").await.body;
    assert!(ja.contains("千代田区") && !ja.contains("Chiyoda City"));
    let id = t.agency_id("ハローワーク飯田橋").await;
    let page = t.get(&format!("/agencies/{id}?lang=en")).await.body;
    assert!(page.contains("Bunkyo City"), "the agency's municipality in romaji");
    let list = t.get(&format!("/agencies?q={}&lang=en", common::urlencode("飯田橋"))).await.body;
    assert!(list.contains("Bunkyo City"), "and in the results");
    // A consent's purposes, listed in English with English separators.
    let person = t.account("person").await.person.unwrap().0;
    t.sign_in("worker").await;
    let en = t.get(&format!("/persons/{person}?lang=en")).await.body;
    let cell = en.split("data-label=\"Purposes\">").nth(1).unwrap().split("</td>").next().unwrap();
    assert!(cell.contains(", ") && !cell.contains('、'), "{cell}");
}
