//! Tidy checks over the whole workspace, run with the tests (after rust-analyzer's `tidy.rs`).

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2).map(Path::to_path_buf).unwrap()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn all_rust_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for krate in std::fs::read_dir(workspace().join("crates")).unwrap() {
        rust_files(&krate.unwrap().path(), &mut files);
    }
    assert!(files.len() > 20, "found the sources");
    files
}

/// Rationale: a reader opening any file learns first what it owns.
#[test]
fn every_file_starts_by_saying_what_it_owns() {
    let missing: Vec<_> =
        all_rust_files().into_iter().filter(|f| !std::fs::read_to_string(f).unwrap().starts_with("//!")).collect();
    assert!(missing.is_empty(), "files without a leading //! comment: {missing:?}");
}

/// Rationale: no request path may panic. `unwrap`/`expect` belong to tests and test support.
#[test]
fn library_and_binary_code_never_unwraps() {
    let mut offenders = Vec::new();
    for file in all_rust_files() {
        let path = file.to_string_lossy();
        if path.contains("/tests/") || path.contains("tsunagu-store-conformance") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            if line.contains(".unwrap()") || line.contains(".expect(") {
                offenders.push(format!("{path}:{}", n + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "unwrap/expect outside tests: {offenders:?}");
}

/// Rationale: placeholders and skipped tests hide unfinished work.
#[test]
fn no_placeholders_or_ignored_tests() {
    let mut offenders = Vec::new();
    for file in all_rust_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let needles = [concat!("todo", "!("), concat!("unimplemented", "!("), concat!("#[", "ignore")];
            if needles.iter().any(|p| line.contains(p)) {
                offenders.push(format!("{}:{}", file.display(), n + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
}

/// Rationale: time comes from the injected clock, so that tests fix it and no handler decides
/// on a moment of its own. Only the clock module reads the system clock (durations measured
/// with `Instant` are not the time of anything).
#[test]
fn only_the_clock_module_reads_the_system_clock() {
    let mut offenders = Vec::new();
    for file in all_rust_files() {
        let path = file.to_string_lossy();
        if path.contains("/tests/") || path.ends_with("tsunagu-app/src/clock.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let needles = ["now_utc()", "now_local()", "SystemTime::now", "Utc::now", "Local::now"];
            if needles.iter().any(|p| line.contains(p)) {
                offenders.push(format!("{path}:{}", n + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "the system clock read outside tsunagu-app/src/clock.rs: {offenders:?}");
}

/// Rationale: a lint switched off says why, where it is switched off.
#[test]
fn every_allowed_lint_gives_its_reason() {
    let mut offenders = Vec::new();
    for file in all_rust_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let attribute = line.contains(concat!("#[", "allow(")) || line.contains(concat!("#![", "allow("));
            if attribute && !line.contains("reason =") {
                offenders.push(format!("{}:{}", file.display(), n + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "allow without a reason: {offenders:?}");
}
