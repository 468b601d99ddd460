//! The JSON API: shapes, errors in the caller's language, the OpenAPI document.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{bearer, spawn_app};
use serde_json::json;

#[tokio::test]
async fn the_openapi_document_is_locked() {
    let t = spawn_app().await;
    let r = t.get("/api/v1/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    insta::assert_json_snapshot!("openapi", r.json());
}

#[tokio::test]
async fn searching_returns_a_page_with_the_total() {
    let t = spawn_app().await;
    let r = t.get("/api/v1/agencies?kind=hello_work&block=johoku").await;
    let body = r.json();
    assert_eq!(body["total"], 4);
    assert_eq!(body["page_size"], 50);
    assert!(body["items"].as_array().unwrap().iter().all(|a| a["kind"] == "hello_work" && a["block_code"] == "johoku"));
}

#[tokio::test]
async fn validation_errors_list_every_problem_in_the_callers_language() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let r = t
        .send_json(
            "POST",
            "/api/v1/agencies",
            json!({"kind": "hello_work", "name": "", "name_kana": "x", "postal_code": "12"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let codes: Vec<_> =
        r.json()["errors"].as_array().unwrap().iter().map(|e| (e["field"].clone(), e["code"].clone())).collect();
    assert_eq!(codes, [(json!("name"), json!("required")), (json!("postal_code"), json!("postal_code_format"))]);
    assert_eq!(r.json()["errors"][0]["detail"], "名称を入力してください。");
    let en = t
        .request(
            Request::post("/api/v1/agencies")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.8")
                .body(Body::from(json!({"kind": "hello_work", "name_kana": "x"}).to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(en.json()["errors"][0]["detail"], "Enter Name.");
}

#[tokio::test]
async fn create_read_update_with_optimistic_versions() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let created = t
        .send_json("POST", "/api/v1/agencies", json!({"kind": "commerce_body", "name": "つなぐ商店会", "name_kana": "つなぐしょうてんかい", "municipality_code": "132012"}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(created.json()["block_code"], "tama_nanbu");
    let read = t.get(&format!("/api/v1/agencies/{id}")).await.json();
    assert_eq!(read["version"], 1);
    let update = json!({"version": 1, "kind": "commerce_body", "name": "つなぐ商店会", "name_kana": "つなぐしょうてんかい", "phone": "042-000-1234"});
    let updated = t.send_json("PUT", &format!("/api/v1/agencies/{id}"), update.clone()).await;
    assert_eq!(updated.status, StatusCode::OK);
    assert_eq!(updated.json()["version"], 2);
    let stale = t.send_json("PUT", &format!("/api/v1/agencies/{id}"), update).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.json()["errors"][0]["code"], "conflict");
}

#[tokio::test]
async fn imports_report_lines_and_columns() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let r = t
        .request(
            Request::post("/api/v1/agencies/import")
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from("種別,名称,ふりがな\nハローワーク,,はろーわーく\n"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.json()["errors"][0],
        json!({"code": "required", "field": "名称", "line": 2, "detail": "名称を入力してください。"})
    );
}

#[tokio::test]
async fn malformed_bodies_and_unknown_ids_are_client_errors() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let r = t
        .request(
            Request::post("/api/v1/agencies")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{"))
                .unwrap(),
        )
        .await;
    assert!(r.status.is_client_error());
    assert_eq!(t.get("/api/v1/agencies/123").await.status, StatusCode::NOT_FOUND);
    let r = t
        .send_json(
            "PUT",
            "/api/v1/municipalities/131016",
            json!({"block_code": "mars", "runs_support_centre": true, "has_development_coordinator": false}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["code"], "unknown_block");
}

#[tokio::test]
async fn api_writes_need_a_session_and_its_csrf_header() {
    let t = spawn_app().await;
    let body = json!({"kind": "commerce_body", "name": "x", "name_kana": "x"});
    let r = t.send_json("POST", "/api/v1/agencies", body.clone()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["errors"][0]["code"], "unauthenticated");
    t.sign_in("admin").await;
    let without_header = t
        .raw(
            Request::post("/api/v1/agencies")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, t.session_cookie().unwrap())
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(without_header.status, StatusCode::FORBIDDEN, "a cookie alone does not authorise a write");
    assert_eq!(t.send_json("POST", "/api/v1/agencies", body).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn api_tokens_are_shown_once_scoped_and_revocable() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let created =
        t.post_form("/account/tokens", &[("token_name", "基幹システム連携"), ("scopes", "directory_write")]).await;
    assert_eq!(created.status, StatusCode::OK);
    let start = created.body.find("<code id=\"new-token\">").unwrap() + "<code id=\"new-token\">".len();
    let secret = created.body[start..].split('<').next().unwrap().to_owned();
    assert!(secret.starts_with("tsu_") && secret.len() == 68);
    assert!(!t.get("/account").await.body.contains(&secret), "shown once only");

    let body = json!({"kind": "commerce_body", "name": "連携商工会", "name_kana": "れんけいしょうこうかい"});
    let made = t.raw(bearer("POST", "/api/v1/agencies", &secret, Some(body.clone()))).await;
    assert_eq!(made.status, StatusCode::CREATED);
    let audit = t.raw(bearer("GET", "/api/v1/audit", &secret, None)).await;
    assert_eq!(audit.status, StatusCode::FORBIDDEN, "the token lacks audit_read");
    assert_eq!(
        t.raw(bearer("POST", "/api/v1/agencies", "tsu_nonsense", Some(body.clone()))).await.status,
        StatusCode::UNAUTHORIZED
    );

    let account = t.get("/account").await.body;
    let id_start = account.find("/account/tokens/").unwrap() + "/account/tokens/".len();
    let id = account[id_start..].split('/').next().unwrap().to_owned();
    assert_eq!(t.post_form(&format!("/account/tokens/{id}/revoke"), &[]).await.status, StatusCode::SEE_OTHER);
    let after = t.raw(bearer("POST", "/api/v1/agencies", &secret, Some(body))).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED, "a revoked token stops working at once");
}

#[tokio::test]
async fn administrators_read_the_audit_log_through_the_api() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let created = t.post_form("/account/tokens", &[("token_name", "SIEM"), ("scopes", "audit_read")]).await;
    let start = created.body.find("<code id=\"new-token\">").unwrap() + "<code id=\"new-token\">".len();
    let secret = created.body[start..].split('<').next().unwrap().to_owned();
    let r = t.raw(bearer("GET", "/api/v1/audit?action=sign_in", &secret, None)).await;
    assert_eq!(r.status, StatusCode::OK);
    let entries = r.json();
    assert_eq!(entries[0]["actor_label"], "admin");
    assert_eq!(entries[0]["hash"].as_str().map(str::len), Some(64));
    assert_eq!(
        t.raw(bearer("GET", "/api/v1/audit?action=teleport", &secret, None)).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn a_token_name_is_required() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let r = t.post_form("/account/tokens", &[("token_name", " "), ("scopes", "directory_write")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("用途を入力してください。"));
}

#[tokio::test]
async fn the_document_says_how_to_authenticate_and_which_codes_a_list_takes() {
    let t = spawn_app().await;
    let doc = t.get("/api/v1/openapi.json").await.json();
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["token"]["scheme"], "bearer");
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], "tsunagu_session");
    let list = &doc["paths"]["/api/v1/persons"]["get"];
    assert_eq!(list["security"], json!([{"token": []}, {"session": []}]), "the caseload needs a caller");
    assert!(doc["paths"]["/api/v1/agencies"]["get"]["security"].is_null(), "the directory is open");
    for status in ["400", "413", "415"] {
        assert!(doc["paths"]["/api/v1/persons"]["post"]["responses"][status].is_object(), "{status}");
    }
    // The list's codes are the domain's: every stage and every sort the page offers.
    let pattern = |name: &str| {
        let params = list["parameters"].as_array().unwrap();
        params.iter().find(|p| p["name"] == name).unwrap()["schema"]["pattern"].as_str().unwrap().to_owned()
    };
    for stage in tsunagu_domain::journey::Stage::ALL {
        assert!(
            pattern("stage").contains(&format!("|{}|", stage.code()))
                || pattern("stage").contains(&format!("({}|", stage.code()))
        );
    }
    for (sort, _) in tsunagu_http::persons::api::CASELOAD_SORTS {
        assert!(pattern("sort").contains(sort), "{sort}");
    }
}

#[tokio::test]
async fn the_document_states_what_a_request_must_hold() {
    let t = spawn_app().await;
    let doc = t.get("/api/v1/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    let person = &schemas["PersonInputDto"];
    let required: Vec<&str> = person["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(required, ["name", "name_kana", "birth_date", "categories", "consent"]);
    assert_eq!(person["properties"]["birth_date"]["format"], "date");
    assert_eq!(person["properties"]["categories"]["minItems"], 1);
    // Codes are the domain's own lists.
    let kinds = &schemas["SupportInputDto"]["properties"]["kind"]["enum"];
    let expected: Vec<&str> = tsunagu_domain::journey::SupportKind::ALL.map(|k| k.code()).to_vec();
    assert_eq!(kinds, &json!(expected));
    // A date that may be left empty says so, and no field pretends an empty default.
    let valid_to = &schemas["RegistrationConsentDto"]["properties"]["valid_to"]["oneOf"];
    assert_eq!(valid_to[0]["format"], "date");
    assert_eq!(valid_to[1]["maxLength"], 0);
    let text = doc.to_string();
    assert!(!text.contains(r#""default":"""#), "no input field defaults to the empty string");
    // Free text refuses what the domain refuses; required text may not be blank.
    let note = &schemas["SupportInputDto"]["properties"]["note"]["pattern"];
    let next_action = &schemas["SupportInputDto"]["properties"]["next_action"]["pattern"];
    assert!(note.as_str().unwrap().contains(r"[^\s"), "{note}");
    assert!(next_action.as_str().unwrap().contains(r"\u202A") && !next_action.as_str().unwrap().contains(r"[^\s"));
    // An edit of an agency, which flattens the agency's fields, gets the same rules.
    let listed = schemas["AgencyInputDto"]["properties"]["name"]["pattern"].as_str().unwrap();
    assert!(listed.contains(r"[^\s"));
    let page = doc["paths"]["/api/v1/agencies"]["get"]["parameters"].as_array().unwrap();
    let page = page.iter().find(|p| p["name"] == "page").unwrap();
    assert_eq!((&page["schema"]["type"], &page["schema"]["minimum"]), (&json!("integer"), &json!(1)));
}

#[tokio::test]
async fn a_body_that_leaves_fields_out_is_told_each_one_that_is_required() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let token = t.new_token("ケース記録システム", &["persons_read", "persons_write"]).await;
    let r = t.raw(bearer("POST", "/api/v1/persons", &token, Some(json!({})))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields: Vec<String> =
        r.json()["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect();
    for field in ["name", "name_kana", "birth_date", "categories", "purposes", "consent.categories", "evidence"] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
}

#[tokio::test]
async fn a_problem_on_a_nested_field_is_named_in_words_in_both_languages() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let token = t.new_token("ケース記録システム", &["persons_read", "persons_write"]).await;
    let body = json!({
        "name": "連携 四郎", "name_kana": "れんけい しろう", "birth_date": "1991-01-01",
        "consent": {"purposes": ["support"], "categories": ["nonsense"], "evidence": "verbal", "evidence_note": "口頭"}
    });
    for (lang, label) in [("ja", "提供する情報の種類"), ("en", "Kinds of data")] {
        let mut request = bearer("POST", "/api/v1/persons", &token, Some(body.clone()));
        request.headers_mut().insert(header::ACCEPT_LANGUAGE, lang.parse().unwrap());
        let r = t.raw(request).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        let errors = r.json()["errors"].as_array().unwrap().clone();
        let on_categories = errors.iter().find(|e| e["field"] == "consent.categories").expect("{errors:?}");
        let detail = on_categories["detail"].as_str().unwrap();
        assert!(detail.contains(label) && !detail.contains("field-"), "{lang}: {detail}");
    }
}
