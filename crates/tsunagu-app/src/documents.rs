//! Documents attached to a person (§ documents of the staff work tool): attaching, listing,
//! downloading and removing, each decided by the access policy on the category the document's
//! kind names and each audited.
//!
//! A document belongs to the agency that attached it, as support records do: the agency's own
//! open case opens its own documents; another agency's documents open only through a consent that
//! names the viewer (or their block) for that category, and a download made on such a consent is
//! a provision (第三者提供記録). A doctor's letter is health data: it needs a consent of its own
//! category even on the viewer's own case. The person sees their own documents.

use tsunagu_domain::access::{Action, Basis, Denial};
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::{ConsentRecord, DataCategory, Provision, Purpose, Recipient};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::document::{
    AgencyDocument, Document, DocumentId, DocumentInput, DocumentKind, check_agency_document,
};
use tsunagu_domain::person::PersonId;
use tsunagu_store::{Change, Commit, PersonFile};

use crate::error::not_found_as_such;
use crate::{App, AppError};

/// A document as one viewer may see it, with the basis they see it on.
#[derive(Debug, Clone)]
pub struct VisibleDocument {
    /// The document.
    pub document: Document,
    /// Why the viewer may see it.
    pub basis: Basis,
    /// The viewer's agency attached it (and so may remove it).
    pub own: bool,
}

/// What the form for attaching a document needs.
#[derive(Debug, Clone)]
pub struct DocumentForm {
    /// The person's name.
    pub name: String,
    /// The kinds the viewer may attach (a doctor's letter needs a health consent).
    pub kinds: Vec<DocumentKind>,
    /// The person's consents, newest first, for a consent form to name.
    pub consents: Vec<ConsentRecord>,
}

fn record(id: DocumentId) -> String {
    format!("document:{}", id.0)
}

impl App {
    /// On what basis `actor` may read `document` of the person in `file`, or why not.
    async fn document_basis(
        &self,
        actor: &Account,
        file: &PersonFile,
        document: &Document,
    ) -> Result<Result<Basis, Denial>, AppError> {
        if actor.person == Some(file.person.id) {
            return self.decide_for(actor, file, Action::Read, document.kind.category(), Purpose::ALL, None).await;
        }
        let category = document.kind.category();
        if Some(document.agency) == actor.agency {
            return self.decide_for(actor, file, Action::Read, category, Purpose::ALL, None).await;
        }
        // Another agency's document: the viewer's own case does not open it, a consent may.
        let consent_only = PersonFile {
            cases: file.cases.iter().filter(|c| Some(c.agency) != actor.agency).cloned().collect(),
            ..file.clone()
        };
        self.decide_for(actor, &consent_only, Action::Read, category, Purpose::ALL, None).await
    }

    /// The person's documents (not removed) that `actor` may see, oldest first, without reading
    /// them or auditing: for the reads that list them.
    pub(crate) async fn visible_documents(
        &self,
        actor: &Account,
        file: &PersonFile,
    ) -> Result<Vec<VisibleDocument>, AppError> {
        let documents = self.store.documents_of(file.person.id).await.map_err(AppError::Store)?;
        let mut visible = Vec::new();
        for document in documents.into_iter().filter(|d| d.removed_at.is_none()) {
            if let Ok(basis) = self.document_basis(actor, file, &document).await? {
                let own = Some(document.agency) == actor.agency;
                visible.push(VisibleDocument { document, basis, own });
            }
        }
        Ok(visible)
    }

    /// The person's documents `actor` may see, the read audited (for the API).
    pub async fn documents(&self, actor: &Account, id: PersonId) -> Result<Vec<VisibleDocument>, AppError> {
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        // Listing needs the record itself to be open to the viewer.
        let basis = match self.decide_for(actor, &file, Action::Read, DataCategory::Basic, Purpose::ALL, None).await? {
            Ok(basis) => basis,
            Err(denial) => return Err(self.refuse(actor, id, format!("documents:{}", id.0), denial).await),
        };
        let visible = self.visible_documents(actor, &file).await?;
        let read = self.person_event(
            actor,
            AuditAction::Read,
            format!("documents:{}", id.0),
            id,
            vec!["documents".into()],
            basis.audit_code(),
        );
        self.commit(Commit::new(read)).await?;
        Ok(visible)
    }

    /// What the attach form offers `actor` for the person; Forbidden (audited) when they may
    /// attach nothing.
    pub async fn document_form(&self, actor: &Account, id: PersonId) -> Result<DocumentForm, AppError> {
        Self::acting_agency(actor)?;
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let mut kinds = Vec::new();
        for kind in DocumentKind::ALL {
            let purposes = [Purpose::Support, Purpose::Retention];
            if self.decide_for(actor, &file, Action::Write, kind.category(), &purposes, None).await?.is_ok() {
                kinds.push(kind);
            }
        }
        if kinds.is_empty() {
            self.write_basis(actor, &file, DocumentKind::ConsentForm.category()).await?;
            return Err(AppError::Forbidden);
        }
        let mut consents = file.consents.clone();
        consents.reverse();
        Ok(DocumentForm { name: file.person.fields.name.clone(), kinds, consents })
    }

    /// Attaches a document to the person, as the actor's agency; returns its id.
    pub async fn attach_document(
        &self,
        actor: &Account,
        id: PersonId,
        input: &DocumentInput<'_>,
    ) -> Result<DocumentId, AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        // Whoever may write nothing of the record learns nothing of what was wrong with the file.
        self.write_basis(actor, &file, DataCategory::Support).await?;
        let fields = input.validate().map_err(AppError::Invalid)?;
        let basis = self.write_basis(actor, &file, fields.kind.category()).await?;
        if let Some(consent) = fields.consent
            && !file.consents.iter().any(|r| r.consent.id == consent)
        {
            let mut p = tsunagu_domain::Problems::new();
            p.add("consent", "unknown_code");
            return Err(AppError::Invalid(p));
        }
        let document = Document {
            id: DocumentId(self.ids.new_id()),
            prefecture: file.person.prefecture.clone(),
            person: id,
            agency,
            kind: fields.kind,
            title: fields.title,
            file_name: fields.file_name,
            file_type: fields.file_type,
            size: input.content.len() as u64,
            sha256: fields.sha256,
            consent: fields.consent,
            uploaded_by: actor.id,
            uploaded_at: self.clock.now(),
            removed_at: None,
        };
        let mut written = vec!["kind".into(), "title".into(), "file".into()];
        if document.consent.is_some() {
            written.push("consent".into());
        }
        let event = self.person_event(actor, AuditAction::Create, record(document.id), id, written, basis.audit_code());
        let doc_id = document.id;
        let change = Change::Document { document: Box::new(document), content: input.content.to_vec() };
        self.commit(Commit::new(event).with(change)).await?;
        Ok(doc_id)
    }

    /// A document and its content, for `actor` to download: the read is audited (with the
    /// provision, when it crossed from another agency on a consent) before anything is handed
    /// out, and content that no longer matches its checksum is refused.
    pub async fn download_document(
        &self,
        actor: &Account,
        id: PersonId,
        document: DocumentId,
    ) -> Result<(Document, Vec<u8>), AppError> {
        let (file, stored) = tokio::join!(self.store.person_file(id), self.store.document_file(id, document));
        let file = file.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        // Whoever may not open the record learns nothing of its documents, not even which exist.
        if let Err(denial) =
            self.decide_for(actor, &file, Action::Read, DataCategory::Basic, Purpose::ALL, None).await?
        {
            return Err(self.refuse(actor, id, format!("person:{}", id.0), denial).await);
        }
        let (document, content) = stored.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = match self.document_basis(actor, &file, &document).await? {
            Ok(basis) => basis,
            Err(denial) => return Err(self.refuse(actor, id, record(document.id), denial).await),
        };
        if !document.matches(&content) {
            tracing::error!(document = %document.id.0, "a document's content no longer matches its checksum");
            return Err(AppError::Damaged);
        }
        let read = self.person_event(
            actor,
            AuditAction::Read,
            record(document.id),
            id,
            vec!["file".into()],
            basis.audit_code(),
        );
        let mut commit = Commit::new(read);
        if let Basis::Consent(consent) = basis
            && Some(document.agency) != actor.agency
            && actor.person != Some(id)
            && let Some(recipient) = match (actor.employer, actor.agency) {
                (Some(e), _) => Some(Recipient::Employer(e)),
                (None, Some(a)) => Some(Recipient::Agency(a)),
                _ => None,
            }
        {
            let provision = Provision {
                prefecture: file.person.prefecture.clone(),
                id: self.ids.new_id(),
                at: self.clock.now(),
                person: id,
                recipient,
                items: vec![record(document.id)],
                consent,
                provided_by: actor.id,
            };
            commit = commit.with(Change::Provision(Box::new(provision)));
        }
        self.commit(commit).await?;
        Ok((document, content))
    }

    /// Removes a document the actor's agency attached: its content is deleted, its entry kept
    /// (marked removed) for the record and the disclosure.
    pub async fn remove_document(&self, actor: &Account, id: PersonId, document: DocumentId) -> Result<(), AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        self.write_basis(actor, &file, DataCategory::Support).await?;
        let documents = self.store.documents_of(id).await.map_err(AppError::Store)?;
        let Some(found) = documents.into_iter().find(|d| d.id == document && d.removed_at.is_none()) else {
            return Err(AppError::NotFound);
        };
        if found.agency != agency {
            return Err(self.refuse(actor, id, record(document), Denial::NoBasis).await);
        }
        let basis = self.write_basis(actor, &file, found.kind.category()).await?;
        let event = self.person_event(
            actor,
            AuditAction::Update,
            record(document),
            id,
            vec!["removed_at".into(), "file".into()],
            basis.audit_code(),
        );
        let change = Change::RemoveDocument { person: id, id: document, at: self.clock.now() };
        not_found_as_such(self.commit(Commit::new(event).with(change)).await)
    }
}

impl App {
    /// An audit entry by `actor` about an agency's document, now.
    fn agency_document_event(
        &self,
        actor: &Account,
        action: AuditAction,
        id: DocumentId,
        fields: Vec<String>,
    ) -> tsunagu_domain::audit::AuditEvent {
        self.event(actor, action, format!("agency_document:{}", id.0), fields, "directory_policy".into())
    }

    /// An agency's documents still held, oldest first, for any signed-in account (the directory's
    /// anonymous readers see none: an agency may keep forms meant for the network only).
    pub async fn agency_documents(&self, actor: &Account, agency: AgencyId) -> Result<Vec<AgencyDocument>, AppError> {
        if actor.disabled {
            return Err(AppError::Forbidden);
        }
        let mut documents = self.store.agency_documents(agency).await.map_err(AppError::Store)?;
        documents.retain(|d| d.removed_at.is_none());
        Ok(documents)
    }

    /// Puts a document on an agency's page, for those who may edit the agency; returns its id.
    pub async fn attach_agency_document(
        &self,
        actor: &Account,
        agency: AgencyId,
        title: &str,
        file_name: &str,
        content: &[u8],
    ) -> Result<DocumentId, AppError> {
        let found = self.store.get_agency(agency).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        if !self.may_edit_agency(actor, agency).await? {
            return Err(AppError::Forbidden);
        }
        let (title, file) = check_agency_document(title, file_name, content).map_err(AppError::Invalid)?;
        let document = AgencyDocument {
            id: DocumentId(self.ids.new_id()),
            prefecture: found.prefecture,
            agency,
            title,
            file_name: file.file_name,
            file_type: file.file_type,
            size: content.len() as u64,
            sha256: file.sha256,
            uploaded_by: actor.id,
            uploaded_at: self.clock.now(),
            removed_at: None,
        };
        let id = document.id;
        let event = self.agency_document_event(actor, AuditAction::Create, id, vec!["title".into(), "file".into()]);
        let change = Change::AgencyDocument { document: Box::new(document), content: content.to_vec() };
        self.commit(Commit::new(event).with(change)).await?;
        Ok(id)
    }

    /// An agency's document and its content, for a signed-in account; the download is audited
    /// before anything is handed out, and content that no longer matches its checksum is refused.
    pub async fn download_agency_document(
        &self,
        actor: &Account,
        agency: AgencyId,
        id: DocumentId,
    ) -> Result<(AgencyDocument, Vec<u8>), AppError> {
        if actor.disabled {
            return Err(AppError::Forbidden);
        }
        let (document, content) =
            self.store.agency_document_file(agency, id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        if !document.matches(&content) {
            tracing::error!(document = %id.0, "an agency document's content no longer matches its checksum");
            return Err(AppError::Damaged);
        }
        self.commit(Commit::new(self.agency_document_event(actor, AuditAction::Read, id, vec!["file".into()]))).await?;
        Ok((document, content))
    }

    /// Removes a document from an agency's page (its content deleted, its entry kept), for those
    /// who may edit the agency.
    pub async fn remove_agency_document(
        &self,
        actor: &Account,
        agency: AgencyId,
        id: DocumentId,
    ) -> Result<(), AppError> {
        if !self.may_edit_agency(actor, agency).await? {
            return Err(AppError::Forbidden);
        }
        let event =
            self.agency_document_event(actor, AuditAction::Update, id, vec!["removed_at".into(), "file".into()]);
        let change = Change::RemoveAgencyDocument { agency, id, at: self.clock.now() };
        not_found_as_such(self.commit(Commit::new(event).with(change)).await)
    }
}
