//! Accounts and sign-in: argon2id password hashes, sessions known to the store only by the hash
//! of their token, throttled failures that never reveal whether an account exists.

use std::fmt::Write as _;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use rand::RngExt;
use sha2::{Digest, Sha256};
use time::Duration;
use tsunagu_domain::Problems;
use tsunagu_domain::account::{Account, AccountId, ApiScope, ApiToken, ApiTokenId, Role, validate_new_account};
use tsunagu_domain::audit::{AnonymousSource, AuditAction, caller_text};
use tsunagu_domain::directory::AgencyId;
use tsunagu_store::{Session, StoreError};

use crate::{App, AppError};

/// How long a session lasts.
pub const SESSION_LENGTH: Duration = Duration::hours(8);
/// The window failed sign-ins are counted in.
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// Failed sign-ins for one login within the window before it is refused.
pub const MAX_FAILURES_PER_LOGIN: u64 = 5;
/// Failed sign-ins from one address within the window before it is refused.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;

/// A new account as an administrator gives it.
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Sign-in name.
    pub login: String,
    /// Display name.
    pub display_name: String,
    /// Password (hashed at once, never stored).
    pub password: String,
    /// Roles.
    pub roles: Vec<Role>,
    /// Agency of a staff account.
    pub agency: Option<AgencyId>,
    /// The person of a self-service account.
    pub person: Option<tsunagu_domain::person::PersonId>,
    /// The employer of an employer account.
    pub employer: Option<tsunagu_domain::employer::EmployerId>,
}

/// Why a sign-in failed. Both answers look the same whether or not the login exists.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Wrong login or password.
    #[error("wrong login or password")]
    Invalid,
    /// Too many failures lately, for this login or from this address.
    #[error("too many failed sign-ins")]
    Throttled,
    /// The store failed.
    #[error("store failure")]
    Store(#[source] StoreError),
}

impl SignInError {
    fn from_app(e: AppError) -> Self {
        match e {
            AppError::Store(e) => Self::Store(e),
            other => Self::Store(StoreError::Backend(other.to_string().into())),
        }
    }
}

/// A signed-in session: the token goes to the browser, the rest stays here.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The session token (cookie value); only its hash is stored.
    pub token: String,
    /// The session.
    pub session: Session,
    /// Who.
    pub account: Account,
}

/// Whoever runs `tsunagu` at the server's command line: they hold the database file or URL,
/// so they act as an administrator. Never stored; it cannot sign in.
pub fn command_line_operator() -> Account {
    Account {
        id: AccountId(uuid::Uuid::nil()),
        login: "command-line".to_owned(),
        display_name: "command line".to_owned(),
        agency: None,
        roles: vec![Role::SystemAdmin],
        password_hash: String::new(),
        disabled: false,
        sessions_valid_after: time::OffsetDateTime::UNIX_EPOCH,
        person: None,
        employer: None,
    }
}

/// Lower-case hex.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// 256 random bits as hex, from the operating system's generator.
pub(crate) fn random_token() -> String {
    hex(&rand::rng().random::<[u8; 32]>())
}

/// The hash under which a session token is stored.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A hash verified when the login does not exist, so that answering takes as long either way.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$dHN1bmFndS1kdW1teQ$1sVHr7ZBM9IcPQu/1r8QXlbzYyRMn5LnKqoS4RKFD0s";

pub(crate) async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()))
        .await
        .map_err(|e| AppError::Store(StoreError::backend(e)))?
        .map_err(|e| AppError::Store(StoreError::Backend(e.to_string().into())))
}

pub(crate) async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok())
        .await
        .unwrap_or(false)
}

impl App {
    /// Creates an account.
    pub async fn create_account(&self, new: NewAccount) -> Result<Account, AppError> {
        let (login, display_name) =
            validate_new_account(&new.login, &new.display_name, &new.password).map_err(AppError::Invalid)?;
        if new.roles.is_empty() {
            let mut p = Problems::new();
            p.add("roles", "required");
            return Err(AppError::Invalid(p));
        }
        let account = Account {
            id: AccountId(self.ids.new_id()),
            login,
            display_name,
            agency: new.agency,
            roles: new.roles,
            password_hash: hash_password(new.password).await?,
            disabled: false,
            sessions_valid_after: self.clock.now(),
            person: new.person,
            employer: new.employer,
        };
        match self.store.insert_account(&account).await {
            Ok(()) => Ok(account),
            Err(StoreError::Duplicate { .. }) => {
                let mut p = Problems::new();
                p.add("login", "login_taken");
                Err(AppError::Invalid(p))
            }
            Err(e) => Err(AppError::Store(e)),
        }
    }

    /// How many accounts exist.
    pub async fn count_accounts(&self) -> Result<u64, AppError> {
        self.store.count_accounts().await.map_err(AppError::Store)
    }

    /// Signs in with a login and password from `address`.
    pub async fn sign_in(&self, login: &str, password: &str, address: &str) -> Result<SignedIn, SignInError> {
        let login = login.trim().to_lowercase();
        let now = self.clock.now();
        let since = now - THROTTLE_WINDOW;
        let (login_key, address_key) = (format!("login:{}", caller_text(&login)), format!("addr:{address}"));
        let by_login = self.store.failed_logins_since(&login_key, since).await.map_err(SignInError::Store)?;
        let by_address = self.store.failed_logins_since(&address_key, since).await.map_err(SignInError::Store)?;
        // The login is whatever was typed: entries and logs keep a short prefix of it.
        let record = format!("account:{}", caller_text(&login));
        let anonymous = format!("address:{address}");
        if by_login >= MAX_FAILURES_PER_LOGIN || by_address >= MAX_FAILURES_PER_ADDRESS {
            tracing::warn!(login = %record, address, "sign-in throttled");
            let source = AnonymousSource { action: AuditAction::SignInFailed, label: anonymous, record };
            self.audit_anonymous(source, "throttled").await.map_err(SignInError::from_app)?;
            return Err(SignInError::Throttled);
        }
        let account = self.store.account_by_login(&login).await.map_err(SignInError::Store)?;
        let hash = account.as_ref().map_or_else(|| DUMMY_HASH.to_owned(), |a| a.password_hash.clone());
        let verified = verify_password(password.to_owned(), hash).await;
        let account = match account {
            Some(a) if verified && !a.disabled => a,
            _ => {
                self.store.record_failed_login(&[login_key, address_key], now).await.map_err(SignInError::Store)?;
                tracing::info!(login = %record, address, "sign-in failed");
                self.audit(None, &anonymous, AuditAction::SignInFailed, record, vec![], "wrong_credentials")
                    .await
                    .map_err(SignInError::from_app)?;
                return Err(SignInError::Invalid);
            }
        };
        self.store.clear_failed_logins(&login_key).await.map_err(SignInError::Store)?;
        let token = random_token();
        let session = Session {
            token_hash: token_hash(&token),
            account: account.id,
            csrf_token: random_token(),
            created_at: now,
            expires_at: now + SESSION_LENGTH,
            unread_notices: 0,
        };
        self.store.insert_session(&session).await.map_err(SignInError::Store)?;
        tracing::info!(account = %account.id.0, "signed in");
        self.audit(Some(&account), "", AuditAction::SignIn, record, vec![], &format!("address:{address}"))
            .await
            .map_err(SignInError::from_app)?;
        Ok(SignedIn { token, session, account })
    }

    /// The live session for a cookie token: not expired, not voided, account enabled.
    pub async fn session(&self, token: &str) -> Result<Option<(Session, Account)>, AppError> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let found = self.store.session(&token_hash(token)).await.map_err(AppError::Store)?;
        let now = self.clock.now();
        Ok(found.filter(|(s, a)| s.expires_at > now && s.created_at >= a.sessions_valid_after && !a.disabled))
    }

    /// Ends the session of this token.
    pub async fn sign_out(&self, account: &Account, token: &str) -> Result<(), AppError> {
        self.store.delete_session(&token_hash(token)).await.map_err(AppError::Store)?;
        self.audit(Some(account), "", AuditAction::SignOut, format!("account:{}", account.login), vec![], "session")
            .await
    }

    /// Ends every session of the account, on every device, and with `tokens_too` every API token
    /// it still has; answers how many tokens were revoked.
    pub async fn sign_out_everywhere(&self, account: &Account, tokens_too: bool) -> Result<usize, AppError> {
        self.store.void_sessions(account.id, self.clock.now()).await.map_err(AppError::Store)?;
        let record = format!("account:{}", account.login);
        self.audit(Some(account), "", AuditAction::SignOutEverywhere, record, vec![], "session").await?;
        let mut revoked = 0;
        if tokens_too {
            for token in self.api_tokens(account).await? {
                if token.revoked_at.is_none() {
                    self.revoke_api_token(account, token.id).await?;
                    revoked += 1;
                }
            }
        }
        Ok(revoked)
    }
}

/// Every API token starts with this, so that secret scanners and people recognise one.
pub const TOKEN_PREFIX: &str = "tsu_";

impl App {
    /// Creates an API token for `actor`; the secret is returned this once and never stored.
    pub async fn create_api_token(
        &self,
        actor: &Account,
        name: &str,
        scopes: Vec<ApiScope>,
    ) -> Result<(String, ApiToken), AppError> {
        // A person's own account reads their data on their own pages, not through the API.
        if actor.has(tsunagu_domain::account::Role::Person) {
            return Err(AppError::Forbidden);
        }
        let mut p = Problems::new();
        let name = tsunagu_domain::validation::text_field(&mut p, "token_name", name, 100, true);
        if scopes.is_empty() {
            p.add("scopes", "required");
        }
        let Some(name) = name.filter(|_| p.is_empty()) else {
            return Err(AppError::Invalid(p));
        };
        let secret = format!("{TOKEN_PREFIX}{}", random_token());
        let token = ApiToken {
            id: ApiTokenId(self.ids.new_id()),
            account: actor.id,
            name,
            token_hash: token_hash(&secret),
            scopes,
            created_at: self.clock.now(),
            revoked_at: None,
        };
        self.store.insert_api_token(&token).await.map_err(AppError::Store)?;
        let record = format!("api_token:{}", token.id.0);
        let fields = token.scopes.iter().map(|s| s.code().to_owned()).collect();
        self.audit(Some(actor), "", AuditAction::Create, record, fields, "own_account").await?;
        Ok((secret, token))
    }

    /// The live token for a secret, with its account: not revoked, account enabled.
    pub async fn api_token_account(&self, secret: &str) -> Result<Option<(ApiToken, Account)>, AppError> {
        let well_formed = secret
            .strip_prefix(TOKEN_PREFIX)
            .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()));
        if !well_formed {
            return Ok(None);
        }
        let found = self.store.api_token(&token_hash(secret)).await.map_err(AppError::Store)?;
        let now = self.clock.now();
        Ok(found.filter(|(t, a)| t.revoked_at.is_none_or(|r| r > now) && !a.disabled))
    }

    /// The account's tokens, newest first.
    pub async fn api_tokens(&self, actor: &Account) -> Result<Vec<ApiToken>, AppError> {
        self.store.api_tokens_of(actor.id).await.map_err(AppError::Store)
    }

    /// Revokes one of the account's tokens; it stops working from the next request.
    pub async fn revoke_api_token(&self, actor: &Account, id: ApiTokenId) -> Result<(), AppError> {
        match self.store.revoke_api_token(actor.id, id, self.clock.now()).await {
            Ok(()) => {}
            Err(StoreError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(AppError::Store(e)),
        }
        let record = format!("api_token:{}", id.0);
        self.audit(Some(actor), "", AuditAction::Update, record, vec!["revoked_at".to_owned()], "own_account").await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_is_a_valid_argon2id_hash() {
        assert!(argon2::PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(Argon2::default().verify_password(b"anything", DUMMY_HASH).is_err());
    }

    #[test]
    fn token_hashes_are_sha256_hex() {
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(random_token().len(), 64);
        assert_ne!(random_token(), random_token());
    }
}
