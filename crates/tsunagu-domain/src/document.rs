//! Documents attached to a person: the signed consent form (同意書) a consent record points to, a
//! plan signed by the person, a doctor's letter, an assessment report.
//!
//! A document is personal data like any other, of the category its kind names (a doctor's letter
//! is health data, and needs a consent of its own to cross agencies). Its type is read from its
//! content, never from its name; its name is made safe to offer as a download; its SHA-256 is
//! kept so that a damaged or altered file is refused rather than handed out.

use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use unicode_normalization::UnicodeNormalization;

use crate::Problems;
use crate::account::AccountId;
use crate::consent::{ConsentId, DataCategory};
use crate::directory::AgencyId;
use crate::person::PersonId;
use crate::validation::{is_bidi_control, text_field};

/// The largest file a document may be: 10 MiB (a scanned form of a few pages, a photo).
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The most characters of a document's title.
pub const MAX_TITLE: u32 = 100;

/// The most characters of a file name kept (before its extension).
const MAX_NAME_STEM: usize = 80;

/// A document's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DocumentId(pub uuid::Uuid);

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// 同意書: the signed consent form.
    ConsentForm,
    /// 本人の署名した支援計画.
    SignedPlan,
    /// 医師の意見書・診断書.
    MedicalLetter,
    /// アセスメントの報告書.
    AssessmentReport,
    /// その他.
    Other,
}

impl DocumentKind {
    /// Every kind, in the order forms offer them.
    pub const ALL: [Self; 5] =
        [Self::ConsentForm, Self::SignedPlan, Self::MedicalLetter, Self::AssessmentReport, Self::Other];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::ConsentForm => "consent_form",
            Self::SignedPlan => "signed_plan",
            Self::MedicalLetter => "medical_letter",
            Self::AssessmentReport => "assessment_report",
            Self::Other => "other",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == raw.trim())
    }

    /// The category of personal data a document of this kind holds: who may see it is decided on
    /// it, as for the fields of the record.
    pub fn category(self) -> DataCategory {
        match self {
            Self::ConsentForm => DataCategory::Basic,
            Self::SignedPlan | Self::Other => DataCategory::Support,
            Self::MedicalLetter => DataCategory::Health,
            Self::AssessmentReport => DataCategory::Assessment,
        }
    }
}

/// The types of file a document may be, each recognised by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    /// PDF.
    Pdf,
    /// JPEG (a photo of a form).
    Jpeg,
    /// PNG.
    Png,
    /// TIFF (what many scanners write).
    Tiff,
    /// HEIF/HEIC (what many phones photograph in).
    Heif,
    /// Word (.docx).
    Docx,
    /// Excel (.xlsx).
    Xlsx,
}

impl FileType {
    /// Every type.
    pub const ALL: [Self; 7] = [Self::Pdf, Self::Jpeg, Self::Png, Self::Tiff, Self::Heif, Self::Docx, Self::Xlsx];

    /// The stable code, as stored.
    pub fn code(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::Tiff => "tiff",
            Self::Heif => "heif",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == raw)
    }

    /// The media type a download names.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Tiff => "image/tiff",
            Self::Heif => "image/heif",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The extension a download's name ends with.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Tiff => "tif",
            Self::Heif => "heic",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
        }
    }

    /// The type of `bytes`, read from their content; `None` for anything else (a program, a page
    /// of HTML, an old .doc, a file renamed to look like one of these).
    pub fn detect(bytes: &[u8]) -> Option<Self> {
        let found = infer::get(bytes)?;
        match found.mime_type() {
            "application/pdf" => Some(Self::Pdf),
            "image/jpeg" => Some(Self::Jpeg),
            "image/png" => Some(Self::Png),
            "image/tiff" => Some(Self::Tiff),
            "image/heif" => Some(Self::Heif),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => Some(Self::Docx),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some(Self::Xlsx),
            _ => None,
        }
    }
}

/// A document attached to a person. Its content is stored apart from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Document {
    /// Id.
    pub id: DocumentId,
    /// The person's prefecture (the shard key).
    pub prefecture: String,
    /// Whose.
    pub person: PersonId,
    /// The agency that attached it.
    pub agency: AgencyId,
    /// What it is.
    pub kind: DocumentKind,
    /// What it is called (「同意書（2026年4月）」).
    pub title: String,
    /// The name it is downloaded under: safe, ending with its type's extension.
    pub file_name: String,
    /// Its type, read from its content.
    pub file_type: FileType,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its content, hex.
    pub sha256: String,
    /// The consent whose signed form it is.
    pub consent: Option<ConsentId>,
    /// Who attached it.
    pub uploaded_by: AccountId,
    /// When.
    pub uploaded_at: OffsetDateTime,
    /// When it was removed (its content is gone; the entry stays, for the record).
    pub removed_at: Option<OffsetDateTime>,
}

impl Document {
    /// True when `content` is the file this document was stored with.
    pub fn matches(&self, content: &[u8]) -> bool {
        content.len() as u64 == self.size && sha256_hex(content) == self.sha256
    }
}

/// SHA-256 of `bytes`, hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A document as sent: the form's fields and the file.
#[derive(Debug, Clone, Default)]
pub struct DocumentInput<'a> {
    /// Kind (code).
    pub kind: String,
    /// Title; empty takes the file's name.
    pub title: String,
    /// The consent it is the signed form of (id), for a consent form.
    pub consent: String,
    /// The name the file had on the sender's machine.
    pub file_name: String,
    /// The file.
    pub content: &'a [u8],
}

/// A checked document, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFields {
    /// Kind.
    pub kind: DocumentKind,
    /// Title.
    pub title: String,
    /// Safe download name.
    pub file_name: String,
    /// Type.
    pub file_type: FileType,
    /// The consent named, for a consent form (the use case checks it is the person's).
    pub consent: Option<ConsentId>,
    /// SHA-256, hex.
    pub sha256: String,
}

impl DocumentInput<'_> {
    /// Checks every field: a kind, a title that fits (or the file's name), a consent only on a
    /// consent form, and a file that is there, within [`MAX_DOCUMENT_BYTES`] and of a type
    /// [`FileType::detect`] recognises.
    pub fn validate(&self) -> Result<DocumentFields, Problems> {
        let mut p = Problems::new();
        let kind = match self.kind.trim() {
            "" => {
                p.add("kind", "required");
                None
            }
            raw => DocumentKind::parse(raw).or_else(|| {
                p.add("kind", "unknown_code");
                None
            }),
        };
        let title = text_field(&mut p, "title", &self.title.replace(['\r', '\n'], " "), MAX_TITLE, false);
        let consent = match self.consent.trim() {
            "" => None,
            raw => match uuid::Uuid::parse_str(raw) {
                Ok(id) if kind == Some(DocumentKind::ConsentForm) => Some(ConsentId(id)),
                Ok(_) => {
                    p.add("consent", "consent_only_for_form");
                    None
                }
                Err(_) => {
                    p.add("consent", "unknown_code");
                    None
                }
            },
        };
        let file = check_file(&mut p, &self.file_name, self.content);
        let (Some(kind), Some(file), true) = (kind, file, p.is_empty()) else {
            return Err(p);
        };
        let title = title.unwrap_or_else(|| stem(&file.file_name).to_owned());
        let CheckedFile { file_type, file_name, sha256 } = file;
        Ok(DocumentFields { kind, title, file_name, file_type, consent, sha256 })
    }
}

/// A file as checked: its type, the name to offer it under, its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    /// Its type, read from its content.
    pub file_type: FileType,
    /// The safe name to offer it under.
    pub file_name: String,
    /// SHA-256, hex.
    pub sha256: String,
}

/// Checks a file sent as `file`: there, within [`MAX_DOCUMENT_BYTES`], of a type
/// [`FileType::detect`] recognises; records the problem in `p` otherwise.
pub fn check_file(p: &mut Problems, file_name: &str, content: &[u8]) -> Option<CheckedFile> {
    let file_type = if content.is_empty() {
        p.add("file", "file_missing");
        return None;
    } else if content.len() > MAX_DOCUMENT_BYTES {
        p.push(crate::Problem { field: "file", code: "file_too_large", limit: Some(10) });
        return None;
    } else {
        FileType::detect(content)
    };
    let Some(file_type) = file_type else {
        p.add("file", "file_type");
        return None;
    };
    Some(CheckedFile { file_type, file_name: safe_file_name(file_name, file_type), sha256: sha256_hex(content) })
}

/// A file an agency keeps on its page for the network's staff: its guide (利用案内), a
/// pamphlet, a referral form it asks to be used. Not personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyDocument {
    /// Id.
    pub id: DocumentId,
    /// The agency's prefecture.
    pub prefecture: String,
    /// Whose page it is on.
    pub agency: AgencyId,
    /// What it is called.
    pub title: String,
    /// The name it downloads under.
    pub file_name: String,
    /// Its type, read from its content.
    pub file_type: FileType,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its content, hex.
    pub sha256: String,
    /// Who attached it.
    pub uploaded_by: AccountId,
    /// When.
    pub uploaded_at: OffsetDateTime,
    /// When it was removed (its content is gone).
    pub removed_at: Option<OffsetDateTime>,
}

impl AgencyDocument {
    /// True when `content` is the file this document was stored with.
    pub fn matches(&self, content: &[u8]) -> bool {
        content.len() as u64 == self.size && sha256_hex(content) == self.sha256
    }
}

/// An agency's document as sent: its title (empty takes the file's name) and the file.
pub fn check_agency_document(title: &str, file_name: &str, content: &[u8]) -> Result<(String, CheckedFile), Problems> {
    let mut p = Problems::new();
    let title = text_field(&mut p, "title", &title.replace(['\r', '\n'], " "), MAX_TITLE, false);
    let file = check_file(&mut p, file_name, content);
    match (file, p.is_empty()) {
        (Some(file), true) => Ok((title.unwrap_or_else(|| stem(&file.file_name).to_owned()), file)),
        _ => Err(p),
    }
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

/// A name to offer `given` under: its last path component, in NFC, without control, reordering
/// or reserved characters, cut to a length every file system takes, ending with `file_type`'s
/// extension (whatever the name claimed). An empty result is 「書類」.
pub fn safe_file_name(given: &str, file_type: FileType) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .nfc()
        .filter(|c| !c.is_control() && !is_bidi_control(*c) && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        .collect();
    let cleaned = cleaned.trim().trim_matches('.');
    let stem = stem(cleaned).trim().trim_end_matches('.');
    let stem: String = stem.chars().take(MAX_NAME_STEM).collect();
    let stem = if stem.trim().is_empty() { "書類".to_owned() } else { stem.trim().to_owned() };
    format!("{stem}.{}", file_type.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R'];

    fn input<'a>(kind: &str, name: &str, content: &'a [u8]) -> DocumentInput<'a> {
        DocumentInput { kind: kind.into(), file_name: name.into(), content, ..DocumentInput::default() }
    }

    #[test]
    fn the_type_comes_from_the_content_not_the_name() {
        assert_eq!(FileType::detect(PDF), Some(FileType::Pdf));
        assert_eq!(FileType::detect(PNG), Some(FileType::Png));
        assert_eq!(FileType::detect(b"<html><script>alert(1)</script></html>"), None);
        assert_eq!(FileType::detect(b"MZ\x90\x00\x03\x00\x00\x00"), None, "a Windows program");
        // An HTML page named .pdf is refused; a PDF named .exe is stored as .pdf.
        let refused = input("other", "report.pdf", b"<html></html>").validate().unwrap_err();
        assert_eq!(refused.for_field("file").map(|p| p.code), Some("file_type"));
        let fields = input("other", "setup.exe", PDF).validate().unwrap();
        assert_eq!((fields.file_type, fields.file_name.as_str()), (FileType::Pdf, "setup.pdf"));
    }

    #[test]
    fn names_are_made_safe_to_download() {
        let pdf = FileType::Pdf;
        assert_eq!(safe_file_name("C:\\Users\\山田\\同意書.pdf", pdf), "同意書.pdf");
        assert_eq!(safe_file_name("../../etc/passwd", pdf), "passwd.pdf");
        assert_eq!(safe_file_name("a\u{202E}fdp.exe", pdf), "afdp.pdf");
        assert_eq!(safe_file_name("\"what?\"<x>.pdf", pdf), "whatx.pdf");
        assert_eq!(safe_file_name("...", pdf), "書類.pdf");
        assert_eq!(safe_file_name("", FileType::Jpeg), "書類.jpg");
        // Half-width kana and decomposed marks are composed (NFC), so names compare as typed.
        assert_eq!(safe_file_name("か\u{3099}.pdf", pdf), "が.pdf");
        assert_eq!(safe_file_name(&"長".repeat(300), pdf).chars().count(), MAX_NAME_STEM + 4);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let p = DocumentInput { consent: "not-a-uuid".into(), ..input("", "x.pdf", &[]) }.validate().unwrap_err();
        let codes: Vec<_> = p.iter().map(|p| (p.field, p.code)).collect();
        assert_eq!(codes, [("kind", "required"), ("consent", "unknown_code"), ("file", "file_missing")]);
        let big = vec![0u8; MAX_DOCUMENT_BYTES + 1];
        let p = input("other", "x.pdf", &big).validate().unwrap_err();
        assert_eq!(p.for_field("file").map(|p| (p.code, p.limit)), Some(("file_too_large", Some(10))));
    }

    #[test]
    fn only_a_consent_form_names_a_consent() {
        let consent = uuid::Uuid::nil().to_string();
        let p = DocumentInput { consent: consent.clone(), ..input("medical_letter", "x.pdf", PDF) }.validate();
        assert_eq!(p.unwrap_err().for_field("consent").map(|p| p.code), Some("consent_only_for_form"));
        let ok = DocumentInput { consent, ..input("consent_form", "scan.pdf", PDF) }.validate().unwrap();
        assert_eq!(
            (ok.kind, ok.consent, ok.title.as_str()),
            (DocumentKind::ConsentForm, Some(ConsentId(uuid::Uuid::nil())), "scan")
        );
    }

    #[test]
    fn a_changed_file_no_longer_matches() {
        let fields = input("other", "x.pdf", PDF).validate().unwrap();
        assert_eq!(fields.sha256, sha256_hex(PDF));
        let mut altered = PDF.to_vec();
        altered[10] ^= 1;
        assert_ne!(sha256_hex(&altered), fields.sha256);
    }

    #[test]
    fn a_doctors_letter_is_health_data() {
        assert_eq!(DocumentKind::MedicalLetter.category(), DataCategory::Health);
        assert_eq!(DocumentKind::ConsentForm.category(), DataCategory::Basic);
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(kind.code()), Some(kind));
        }
        for t in FileType::ALL {
            assert_eq!(FileType::parse(t.code()), Some(t));
        }
    }
}
