//! Staff and self-service accounts, their roles, and who may change the directory.

use serde::Serialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::directory::{AgencyId, BlockCode};
use crate::validation::{Problems, text_field};

/// An account's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct AccountId(pub Uuid);

/// What an account may do; an account may hold several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// システム管理者
    SystemAdmin,
    /// 事業所管 (東京都, 東京労働局): aggregates only, never personal data.
    ProgramManager,
    /// ブロックのコーディネート機関 (障害者就業・生活支援センター)
    BlockCoordinator,
    /// 就労支援員
    SupportWorker,
    /// ジョブコーチ
    JobCoach,
    /// 特別支援学校の教員
    SchoolStaff,
    /// ハローワーク・労働局の職員
    HelloWorkStaff,
    /// 企業の担当者
    EmployerUser,
    /// 本人 (self-service)
    Person,
}

impl Role {
    /// Every role.
    pub const ALL: [Self; 9] = [
        Self::SystemAdmin,
        Self::ProgramManager,
        Self::BlockCoordinator,
        Self::SupportWorker,
        Self::JobCoach,
        Self::SchoolStaff,
        Self::HelloWorkStaff,
        Self::EmployerUser,
        Self::Person,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::SystemAdmin => "system_admin",
            Self::ProgramManager => "program_manager",
            Self::BlockCoordinator => "block_coordinator",
            Self::SupportWorker => "support_worker",
            Self::JobCoach => "job_coach",
            Self::SchoolStaff => "school_staff",
            Self::HelloWorkStaff => "hello_work_staff",
            Self::EmployerUser => "employer_user",
            Self::Person => "person",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == raw.trim())
    }
}

/// An account as stored. The password hash never leaves the store and the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Id.
    pub id: AccountId,
    /// Sign-in name.
    pub login: String,
    /// Name shown in the header and the audit log.
    pub display_name: String,
    /// The agency a staff account belongs to.
    pub agency: Option<AgencyId>,
    /// Roles.
    pub roles: Vec<Role>,
    /// PHC string (argon2id).
    pub password_hash: String,
    /// A disabled account cannot sign in.
    pub disabled: bool,
    /// Sessions started before this are void ("sign out everywhere").
    pub sessions_valid_after: OffsetDateTime,
    /// The person a self-service account belongs to.
    pub person: Option<crate::person::PersonId>,
    /// The employer an employer account acts for.
    pub employer: Option<crate::employer::EmployerId>,
}

/// The staff roles that work with persons' records: they hold cases and register persons.
pub const CASEWORK: [Role; 5] =
    [Role::BlockCoordinator, Role::SupportWorker, Role::JobCoach, Role::SchoolStaff, Role::HelloWorkStaff];

impl Role {
    /// True for the roles that work with persons' records ([`CASEWORK`]).
    pub fn is_casework(self) -> bool {
        CASEWORK.contains(&self)
    }
}

impl Account {
    /// True when the account holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// True when the account holds a casework role.
    pub fn does_casework(&self) -> bool {
        self.roles.iter().any(|r| r.is_casework())
    }
}

/// What an API token may do on behalf of its account (never more than the account may).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiScope {
    /// Change the directory (agencies, blocks, municipalities, imports).
    DirectoryWrite,
    /// Search the audit log.
    AuditRead,
    /// Read persons' records (each read still decided by the access policy).
    PersonsRead,
    /// Register persons and record consents (each write still decided by the access policy).
    PersonsWrite,
    /// Read the program registry and the annual report (program managers and administrators).
    ReportRead,
    /// Read interview fairs and make their schedules (each still decided by the account's roles).
    Fairs,
    /// Find, add and edit employers (each still decided by the account's roles).
    Employers,
    /// See events, organise them, sign up and cancel (each still decided by the account's roles
    /// and, for a person's sign-up, by the access policy).
    Events,
}

impl ApiScope {
    /// Every scope.
    pub const ALL: [Self; 8] = [
        Self::DirectoryWrite,
        Self::AuditRead,
        Self::PersonsRead,
        Self::PersonsWrite,
        Self::ReportRead,
        Self::Fairs,
        Self::Employers,
        Self::Events,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::DirectoryWrite => "directory_write",
            Self::AuditRead => "audit_read",
            Self::PersonsRead => "persons_read",
            Self::PersonsWrite => "persons_write",
            Self::ReportRead => "report_read",
            Self::Fairs => "fairs",
            Self::Employers => "employers",
            Self::Events => "events",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == raw.trim())
    }
}

/// An API token's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ApiTokenId(pub Uuid);

/// An API token for an integration. Only the hash of its secret is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Id.
    pub id: ApiTokenId,
    /// The account it acts for.
    pub account: AccountId,
    /// What it is for (the integration's name).
    pub name: String,
    /// SHA-256 of the secret, hex.
    pub token_hash: String,
    /// What it may do.
    pub scopes: Vec<ApiScope>,
    /// Created.
    pub created_at: OffsetDateTime,
    /// Revoked; it stops working from the next request.
    pub revoked_at: Option<OffsetDateTime>,
}

/// The least length of a new password. Long passphrases beat composition rules (NIST SP 800-63B).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Checks a new account's sign-in name, display name and password.
pub fn validate_new_account(login: &str, display_name: &str, password: &str) -> Result<(String, String), Problems> {
    let mut p = Problems::new();
    let login = text_field(&mut p, "login", login, 64, true);
    if login.as_deref().is_some_and(|l| !l.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))) {
        p.add("login", "login_format");
    }
    let display_name = text_field(&mut p, "display_name", display_name, 100, true);
    if password.chars().count() < MIN_PASSWORD_CHARS {
        p.push(crate::Problem {
            field: "password",
            code: "password_too_short",
            limit: Some(MIN_PASSWORD_CHARS as u32),
        });
    }
    match (login, display_name) {
        (Some(l), Some(d)) if p.is_empty() => Ok((l.to_lowercase(), d)),
        _ => Err(p),
    }
}

/// What the directory lets an account change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryChange<'a> {
    /// Add an agency.
    AddAgency,
    /// Edit this agency, which belongs to this block (if any).
    EditAgency(AgencyId, Option<&'a BlockCode>),
    /// Import agencies in bulk.
    Import,
    /// Edit blocks and municipalities (master data).
    MasterData,
}

/// The directory write policy: administrators change anything; a block coordinator edits the
/// agencies of their own block and adds agencies; staff edit their own agency. Nobody else
/// writes (program managers read aggregates; employers and persons have their own screens).
pub fn may_change_directory(account: &Account, own_block: Option<&BlockCode>, change: DirectoryChange<'_>) -> bool {
    if account.disabled {
        return false;
    }
    if account.has(Role::SystemAdmin) {
        return true;
    }
    let coordinator = account.has(Role::BlockCoordinator);
    let staff = account.does_casework();
    match change {
        DirectoryChange::AddAgency => coordinator,
        DirectoryChange::EditAgency(id, block) => {
            (staff && account.agency == Some(id)) || (coordinator && own_block.is_some() && block == own_block)
        }
        DirectoryChange::Import | DirectoryChange::MasterData => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(roles: &[Role], agency: u128) -> Account {
        Account {
            id: AccountId(Uuid::from_u128(1)),
            login: "a".into(),
            display_name: "A".into(),
            agency: Some(AgencyId(Uuid::from_u128(agency))),
            roles: roles.to_vec(),
            password_hash: String::new(),
            disabled: false,
            sessions_valid_after: OffsetDateTime::UNIX_EPOCH,
            person: None,
            employer: None,
        }
    }

    #[test]
    fn directory_write_matrix() {
        let own = AgencyId(Uuid::from_u128(10));
        let other = AgencyId(Uuid::from_u128(11));
        let johoku = BlockCode("johoku".into());
        let joto = BlockCode("joto".into());
        use DirectoryChange::*;
        use Role::*;
        let cases: &[(&[Role], DirectoryChange<'_>, bool)] = &[
            (&[SystemAdmin], MasterData, true),
            (&[SystemAdmin], Import, true),
            (&[BlockCoordinator], AddAgency, true),
            (&[BlockCoordinator], EditAgency(other, Some(&johoku)), true),
            (&[BlockCoordinator], EditAgency(other, Some(&joto)), false),
            (&[BlockCoordinator], MasterData, false),
            (&[SupportWorker], EditAgency(own, Some(&joto)), true),
            (&[SupportWorker], EditAgency(other, Some(&johoku)), false),
            (&[SupportWorker], AddAgency, false),
            (&[ProgramManager], EditAgency(own, None), false),
            (&[EmployerUser], EditAgency(own, None), false),
            (&[Person], AddAgency, false),
        ];
        for (roles, change, expected) in cases {
            let a = account(roles, 10);
            assert_eq!(may_change_directory(&a, Some(&johoku), *change), *expected, "{roles:?} {change:?}");
        }
        let mut disabled = account(&[SystemAdmin], 10);
        disabled.disabled = true;
        assert!(!may_change_directory(&disabled, None, MasterData));
    }

    #[test]
    fn new_accounts_need_a_long_password_and_a_plain_login() {
        assert_eq!(
            validate_new_account("Sato.K", "佐藤", "correct horse battery"),
            Ok(("sato.k".into(), "佐藤".into()))
        );
        let codes = |l, d, p| validate_new_account(l, d, p).unwrap_err().iter().map(|p| p.code).collect::<Vec<_>>();
        assert_eq!(codes("佐藤", "", "short"), ["login_format", "required", "password_too_short"]);
    }
}
