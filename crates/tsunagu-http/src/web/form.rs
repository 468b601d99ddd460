//! Forms as submitted, read into typed structs. axum's `Form` (serde_urlencoded) cannot collect a
//! repeated key — checkboxes, multiple selects — into a `Vec`; `Submitted` reads the body with
//! serde_html_form, which does. Form structs take every field as text (`#[serde(default)]`): the
//! domain's validation, not the parser, says what is wrong with a value, in the reader's words.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// A urlencoded form body read into `T`.
pub struct Submitted<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Submitted<T> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(request, state).await.map_err(IntoResponse::into_response)?;
        decode(&body).map(Submitted).map_err(|why| (StatusCode::BAD_REQUEST, why).into_response())
    }
}

/// Reads a urlencoded body into `T`, or says in a few words why it cannot (what `Submitted` answers
/// with 400; the fuzz target `form_decoding` gives it any bytes).
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, &'static str> {
    if !decodes_as_utf8(body) {
        return Err("the form is not UTF-8");
    }
    serde_html_form::from_bytes(body).map_err(|_| "the form could not be read")
}

/// Every name and value of a urlencoded body decodes to UTF-8. Parsers replace what does not by
/// U+FFFD, which would then be stored as if typed: such a form is refused instead.
fn decodes_as_utf8(body: &[u8]) -> bool {
    body.split(|&b| b == b'&' || b == b'=').all(|part| percent_encoding::percent_decode(part).decode_utf8().is_ok())
}

/// A query string read into `T` the way forms are: a name given more than once (checkboxes)
/// fills a list, which the framework's `Query` refuses.
pub struct FormQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for FormQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        decode(query.as_bytes()).map(FormQuery).map_err(|why| (StatusCode::BAD_REQUEST, why).into_response())
    }
}

/// A form that carries only its CSRF token.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CsrfOnly {
    /// The session's CSRF token.
    pub csrf: Option<String>,
}

#[cfg(test)]
mod tests {

    #[derive(Debug, Default, serde::Deserialize, PartialEq)]
    #[serde(default)]
    struct Consent {
        csrf: Option<String>,
        purposes: Vec<String>,
        note: String,
    }

    #[test]
    fn a_form_that_is_not_utf8_is_told_apart() {
        assert!(super::decodes_as_utf8(b"name=%E5%90%8C%E6%84%8F&note=a+b"));
        assert!(!super::decodes_as_utf8(b"name=%E5%90&note=x"));
        assert!(!super::decodes_as_utf8(b"na%FFme=x"));
        assert!(!super::decodes_as_utf8(b"name=\xff"));
    }

    #[test]
    fn repeated_keys_become_a_list_and_missing_ones_their_default() {
        let form: Consent =
            serde_html_form::from_bytes(b"purposes=support&note=%E5%90%8C%E6%84%8F&purposes=referral").unwrap();
        assert_eq!(
            form,
            Consent { csrf: None, purposes: vec!["support".into(), "referral".into()], note: "同意".into() }
        );
        let one: Consent = serde_html_form::from_bytes(b"purposes=support").unwrap();
        assert_eq!(one.purposes, ["support"], "a single value is a list of one");
    }
}
