//! The write-ahead log stays bounded: writes well past the mark at which the log is started again
//! leave the log file no longer than that mark and a little more, however much was written.

use tsunagu_domain::directory::AgencyKind;
use tsunagu_domain::document::{AgencyDocument, DocumentId, MAX_DOCUMENT_BYTES};
use tsunagu_store::{Change, Commit, DirectoryStore, RecordStore, Store};
use tsunagu_store_conformance::fixtures::{agency, agency_document, seed_reference};
use tsunagu_store_conformance::writes::entry_for;
use tsunagu_store_sqlite::SqliteStore;
use uuid::Uuid;

/// The log's mark (64 MiB, `REWIND_AFTER_PAGES` of 4 KiB), and what the test allows past it: the
/// writes that land between the checkpointer seeing the mark and the writer starting the log again.
const MARK: u64 = 64 << 20;
const BOUND: u64 = MARK + (48 << 20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_file_stays_under_its_bound_while_far_more_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wal.sqlite3");
    let store = SqliteStore::open(&path, 2).unwrap();
    store.migrate().await.unwrap();
    seed_reference(&store).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.unwrap();

    let wal = dir.path().join("wal.sqlite3-wal");
    let (mut written, mut largest) = (0u64, 0u64);
    let mut n = 0u128;
    // Writes of the largest document allowed, back to back with no pause for the checkpointer to
    // catch up, until six times the mark.
    while written < 6 * MARK {
        n += 1;
        let mut content = vec![0u8; MAX_DOCUMENT_BYTES];
        content[..16].copy_from_slice(&n.to_le_bytes());
        // The store keeps the checksum it is given; hashing 10 MiB unoptimised only slows the test.
        let document =
            AgencyDocument { sha256: "0".repeat(64), size: content.len() as u64, ..agency_document(n, centre.id, &[]) };
        written += content.len() as u64;
        let change = Change::AgencyDocument { document: Box::new(document), content };
        store.commit(Commit::new(entry_for("agency_document")).with(change)).await.unwrap();
        // Removed again, so that the database file reuses its pages and stays small.
        let remove = Change::RemoveAgencyDocument {
            agency: centre.id,
            id: DocumentId(Uuid::from_u128(n)),
            at: time::OffsetDateTime::UNIX_EPOCH,
        };
        store.commit(Commit::new(entry_for("agency_document")).with(remove)).await.unwrap();
        largest = largest.max(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0));
    }
    let database = std::fs::metadata(&path).unwrap().len();
    println!(
        "written {} MiB; the log file at most {} MiB; the database {} MiB",
        written >> 20,
        largest >> 20,
        database >> 20
    );
    assert!(largest <= BOUND, "the log file grew to {} MiB (bound {} MiB)", largest >> 20, BOUND >> 20);
    assert!(written >= 3 * BOUND, "the test wrote far more than the bound");
}
