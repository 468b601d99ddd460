//! `tsunagu audit`: the checkpoint key, checkpoints of the log's head, and verifying the log
//! against them. None of these commands creates or changes a database.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use tsunagu_app::App;
use tsunagu_app::audit::AuditCheck;
use tsunagu_domain::checkpoint::{Checkpoint, CheckpointKey};

/// The environment variable that may hold the checkpoint key instead of a file.
pub const KEY_VARIABLE: &str = "TSUNAGU_AUDIT_KEY";

/// Writes a new checkpoint key to `out` (readable by its owner only; an existing file is never
/// replaced) and answers its public key.
pub fn create_key(out: &Path) -> anyhow::Result<String> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no random source: {e}"))?;
    let key = CheckpointKey::from_secret(secret);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file =
        options.open(out).with_context(|| format!("cannot create {} (it must not exist yet)", out.display()))?;
    writeln!(file, "{}", key.to_hex()).with_context(|| format!("cannot write {}", out.display()))?;
    Ok(key.public_key())
}

/// The checkpoint key: from `file`, else from [`KEY_VARIABLE`].
pub fn load_key(file: Option<&Path>) -> anyhow::Result<CheckpointKey> {
    let text = match file {
        Some(path) => std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?,
        None => std::env::var(KEY_VARIABLE)
            .with_context(|| format!("no checkpoint key: give --key FILE or set {KEY_VARIABLE}"))?,
    };
    Ok(CheckpointKey::parse(&text)?)
}

/// Signs the head of `app`'s audit log; appends the checkpoint to `out` as a JSON line, or
/// prints it.
pub async fn checkpoint(app: &App, key: &CheckpointKey, out: Option<&Path>) -> anyhow::Result<Checkpoint> {
    let checkpoint = match app.audit_checkpoint(key).await.map_err(crate::explain)? {
        Ok(checkpoint) => checkpoint,
        Err(AuditCheck::Broken(tamper)) => bail!("audit log broken, not signed: {tamper}"),
        Err(AuditCheck::Intact { .. }) => bail!("the audit log is empty: nothing to sign"),
    };
    let line = serde_json::to_string(&checkpoint)?;
    match out {
        Some(path) => {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("cannot open {}", path.display()))?;
            writeln!(file, "{line}").with_context(|| format!("cannot write {}", path.display()))?;
            file.sync_all().with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => println!("{line}"),
    }
    Ok(checkpoint)
}

/// Reads the checkpoints of `file` (one JSON object a line) and checks each signature, against
/// `public_key` when given.
pub fn read_checkpoints(file: &Path, public_key: Option<&str>) -> anyhow::Result<Vec<Checkpoint>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let mut checkpoints = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let checkpoint: Checkpoint = serde_json::from_str(line)
            .with_context(|| format!("{} line {}: not a checkpoint", file.display(), i + 1))?;
        checkpoint.verify(public_key)?;
        checkpoints.push(checkpoint);
    }
    if checkpoints.is_empty() {
        bail!("{} holds no checkpoint", file.display());
    }
    Ok(checkpoints)
}

/// Signs a checkpoint every `every` into `out`, for as long as the server runs.
pub async fn checkpoint_every(app: App, key: CheckpointKey, out: PathBuf, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        match checkpoint(&app, &key, Some(&out)).await {
            Ok(c) => tracing::info!(seq = c.seq, file = %out.display(), "audit checkpoint signed"),
            Err(e) => tracing::error!(error = %e, "audit checkpoint failed"),
        }
    }
}
