//! Upload forms (imports, documents): the file, its size limit, the sender checked, problems as
//! table rows.

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::response::{IntoResponse, Response};
use tsunagu_app::import::ImportProblem;

use crate::web::context::Ctx;
use crate::web::i18n::Tr;

/// The most an uploaded file may hold.
pub const MAX_UPLOAD: usize = 10 * 1024 * 1024;

/// An import form as sent: the file, the CSRF token and the other fields.
pub(crate) struct Upload {
    /// The form's CSRF token.
    pub csrf: Option<String>,
    /// The file's bytes, when one was chosen.
    pub file: Option<Bytes>,
    /// The name the file had on the sender's machine.
    pub file_name: String,
    /// The other fields, by name.
    pub fields: Vec<(String, String)>,
}

impl Upload {
    /// The field `name` as sent, or empty.
    pub fn field(&self, name: &str) -> &str {
        self.fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }
}

/// Reads an upload form (multipart, the file in `file`): what could be read, and the problem
/// code for the whole form when not all of it could (the file is too large, or the form could not
/// be read) — the fields before the file, the CSRF token among them, are kept even then.
pub(crate) async fn read_upload(multipart: &mut Multipart) -> (Upload, Option<&'static str>) {
    let mut upload = Upload { csrf: None, file: None, file_name: String::new(), fields: Vec::new() };
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                upload.file_name = field.file_name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(b) => upload.file = Some(b).filter(|b| !b.is_empty()),
                    Err(_) => return (upload, Some("file_too_large")),
                }
            }
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                let Ok(value) = field.text().await else { return (upload, Some("file_too_large")) };
                if name == "csrf" {
                    upload.csrf = Some(value);
                } else {
                    upload.fields.push((name, value));
                }
            }
            Ok(None) => return (upload, None),
            Err(_) => return (upload, Some("file_too_large")),
        }
    }
}

/// Why an import form was not taken: problems to show on the form, or a response (sign in, CSRF).
pub(crate) enum UploadRefused {
    /// The form comes back with these rows in its problem table.
    Problems(Vec<(String, String, String)>),
    /// Answer with this instead (a redirect to sign in, a refused CSRF token).
    Response(Response),
}

/// Reads an import form and checks its sender: signed in, the form's CSRF token the session's,
/// and a file chosen. Returns the account, the file and the form's other fields.
pub(crate) async fn accept_upload<'c>(
    ctx: &'c Ctx,
    multipart: &mut Multipart,
) -> Result<(&'c tsunagu_domain::account::Account, Bytes, Vec<(String, String)>), UploadRefused> {
    let tr = ctx.tr();
    let (upload, problem) = read_upload(multipart).await;
    if let Some(code) = problem {
        return Err(UploadRefused::Problems(whole_file(&tr, code)));
    }
    let actor = ctx
        .authorize_form(upload.csrf.as_deref())
        .map_err(|refused| UploadRefused::Response(refused.into_response()))?;
    let bytes = upload.file.ok_or_else(|| UploadRefused::Problems(whole_file(&tr, "file_missing")))?;
    Ok((actor, bytes, upload.fields))
}

/// An import's problems as the rows of the page's table: line, column, message.
pub(crate) fn problem_rows(tr: &Tr, problems: &[ImportProblem]) -> Vec<(String, String, String)> {
    problems
        .iter()
        .map(|p| {
            (
                p.line.map_or_else(|| tr.get("import-whole-file"), |l| l.to_string()),
                p.column.clone().unwrap_or_default(),
                tr.problem(p.column.as_deref().unwrap_or(""), true, p.code, p.limit),
            )
        })
        .collect()
}

/// A problem with the whole file, as a row of the page's table.
fn whole_file(tr: &Tr, code: &str) -> Vec<(String, String, String)> {
    vec![(tr.get("import-whole-file"), String::new(), tr.get(&format!("error-{code}")))]
}
