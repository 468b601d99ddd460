//! [`RecordStore`] and [`SeedStore`] on PostgreSQL.
//!
//! Commits go through one appender per process (group commit, as the SQLite store's audit
//! writer does): commits that arrive while a batch is being written wait together and go into the
//! next transaction, each commit's changes in a savepoint of its own and every entry chained after
//! the entry before — so that concurrent requests share one commit and one sync of the log instead
//! of queueing on the audit log's lock one transaction at a time. The lock (taken first in every
//! batch's transaction) still orders batches from every process, so the chain stays one chain when
//! several servers write to one database. A commit whose changes fail is rolled back to its
//! savepoint alone and answered with the error; the rest of its batch commits. The journey's
//! counts of the commits written are added up and added in one statement with the entries.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use futures_util::TryFutureExt;
use futures_util::future::try_join_all;
use tsunagu_domain::audit::AuditEntry;
use tsunagu_domain::counts::Tallies;
use tsunagu_store::{Change, Commit, RecordStore, SeedBatch, SeedStore, StoreError, StoreResult};

use crate::consents::{insert_consent_in, insert_provision_in, revoke_consent_in};
use crate::documents::{insert_agency_document_in, insert_document_in, remove_agency_document_in, remove_document_in};
use crate::journey::{
    add_plan_review_in, change_stage_in, close_follow_ups_in, complete_follow_up_in, insert_follow_ups_in,
    insert_plan_in, insert_stages_bulk, insert_support_bulk, insert_support_in, reopen_follow_up_in,
};
use crate::persons::{insert_emergency_access_in, insert_registration, update_person_in};
use crate::referrals::{insert_referral_in, move_referral_in};
use crate::{PostgresStore, db_err};

/// Applies one change through `c`.
/// `prefecture` is the store's: changes that carry no record name their shard by it.
async fn apply(c: &impl GenericClient, prefecture: &str, change: &Change) -> StoreResult<()> {
    match change {
        Change::Register(registration) => insert_registration(c, registration).await,
        Change::UpdatePerson(person) => update_person_in(c, person).await,
        Change::Consent(record) => insert_consent_in(c, record).await,
        Change::RevokeConsent { id, at } => revoke_consent_in(c, prefecture, *id, *at).await,
        Change::Provision(provision) => insert_provision_in(c, provision).await,
        Change::Stage { change, expected } => change_stage_in(c, change, *expected).await,
        Change::FollowUps(follow_ups) => insert_follow_ups_in(c, follow_ups).await,
        Change::CompleteFollowUp { person, id, on, by, note } => {
            complete_follow_up_in(c, prefecture, *person, *id, *on, *by, note.as_deref()).await
        }
        Change::ReopenFollowUp { person, id } => reopen_follow_up_in(c, prefecture, *person, *id).await,
        Change::CloseFollowUps { person, on } => close_follow_ups_in(c, prefecture, *person, *on).await,
        Change::SupportRecords(records) => insert_support_in(c, records).await,
        Change::Plan(plan) => insert_plan_in(c, plan).await,
        Change::PlanReview { person, plan, review } => add_plan_review_in(c, prefecture, *person, *plan, review).await,
        Change::EmergencyAccess(grant) => insert_emergency_access_in(c, grant).await,
        Change::Document { document, content } => insert_document_in(c, document, content).await,
        Change::RemoveDocument { person, id, at } => remove_document_in(c, prefecture, *person, *id, *at).await,
        Change::AgencyDocument { document, content } => insert_agency_document_in(c, document, content).await,
        Change::RemoveAgencyDocument { agency, id, at } => remove_agency_document_in(c, *agency, *id, *at).await,
        Change::Figure(figure) => crate::programs::set_figure_in(c, figure).await,
        Change::UpdateProgram(program) => crate::programs::update_program_in(c, program).await,
        Change::Referral { referral, notice } => insert_referral_in(c, referral, notice).await,
        Change::MoveReferral { referral, notice, case } => move_referral_in(c, referral, notice, case.as_deref()).await,
        Change::SaveFair { fair, expected } => crate::fairs::save_fair_in(c, fair, *expected).await,
        Change::SaveEmployer { employer, expected } => crate::employers::save_employer_in(c, employer, *expected).await,
        Change::LinkEmployer { employer, agency, link } => {
            crate::employers::link_employer_in(c, *employer, *agency, link.as_ref()).await
        }
        Change::SaveOpening { opening, expected } => crate::openings::save_opening_in(c, opening, *expected).await,
        Change::SaveSlot { slot, expected } => crate::internships::save_slot_in(c, slot, *expected).await,
        Change::SaveBooking { booking, expected } => crate::internships::save_booking_in(c, booking, *expected).await,
        Change::SaveEnrolment { enrolment, expected } => {
            crate::schools::save_enrolment_in(c, enrolment, *expected).await
        }
        Change::SaveCoach { coach, expected } => crate::coaching::save_coach_in(c, coach, *expected).await,
        Change::SaveDispatch { dispatch, expected } => crate::coaching::save_dispatch_in(c, dispatch, *expected).await,
        Change::LogCoachDay(day) => crate::coaching::log_day_in(c, day).await,
        Change::RemoveCoachDay { person, id } => crate::coaching::remove_day_in(c, prefecture, *person, *id).await,
        Change::SavePreferences { preferences, expected } => {
            crate::preferences::save_preferences_in(c, preferences, *expected).await
        }
        Change::SaveTrial { trial, expected } => crate::trials::save_trial_in(c, trial, *expected).await,
        Change::SaveReturnPlan { plan, expected } => crate::rework::save_plan_in(c, plan, *expected).await,
        Change::SaveParticipation { participation, expected } => {
            crate::trywork::save_participation_in(c, participation, *expected).await
        }
        Change::LogTrialWeek(week) => crate::trials::log_week_in(c, week).await,
        Change::RemoveTrialWeek { person, trial, week_of } => {
            crate::trials::remove_week_in(c, prefecture, *person, *trial, *week_of).await
        }
        Change::SavePlacement { placement, expected } => {
            crate::placements::save_placement_in(c, placement, *expected).await
        }
        Change::SaveEvent { event, expected } => crate::events::save_event_in(c, event, *expected).await,
        Change::SaveAssistance { record, expected } => {
            crate::assistance::save_assistance_in(c, record, *expected).await
        }
        Change::SetPassword { account, hash } => crate::settings::set_password_in(c, *account, hash).await,
        Change::SetRegister { account, register } => crate::settings::set_register_in(c, *account, register).await,
        Change::SetCalendarFeed { account, key_hash, at } => {
            crate::settings::set_calendar_feed_in(c, *account, key_hash.as_deref(), *at).await
        }
        Change::SaveMwsResult { result, expected } => crate::mws::save_mws_result_in(c, result, *expected).await,
        Change::SaveAssessment { sheet, expected } => crate::assessments::save_assessment_in(c, sheet, *expected).await,
        Change::SavePassport { passport, expected } => crate::passports::save_passport_in(c, passport, *expected).await,
        Change::SaveQuotaRoster { roster, expected } => crate::quota::save_roster_in(c, roster, *expected).await,
        Change::SaveChecklist { checklist, expected } => {
            crate::checklists::save_checklist_in(c, checklist, *expected).await
        }
        Change::SaveCoordinator { coordinator, expected } => {
            crate::liaison::save_coordinator_in(c, coordinator, *expected).await
        }
        Change::SignUp(signup) => crate::events::sign_up_in(c, signup).await,
        Change::CancelSignup { event, id, at } => {
            crate::events::cancel_signup_in(c, prefecture, *event, *id, *at).await
        }
        Change::RecordAttendance { event, session, present } => {
            crate::events::record_attendance_in(c, prefecture, *event, *session, present).await
        }
        Change::LinkAccount { account, person, employer } => {
            crate::employers::link_account_in(c, *account, *person, *employer).await
        }
    }
}

/// Applies a commit's changes in order through `c`. A run of changes that cannot touch each
/// other's rows — registrations that link to no one (an import's persons), or stage changes of
/// distinct persons made without a version check (an import's stages) — is written
/// concurrently on the one connection, which pipelines their statements, as the demo's bulk
/// loading does; each change's own statements stay in order, and the run ends before the next
/// change starts.
async fn apply_all(c: &impl GenericClient, prefecture: &str, changes: &[Change]) -> StoreResult<()> {
    let mut rest = changes;
    while !rest.is_empty() {
        let run = independent_run(rest);
        let (now, later) = rest.split_at(run);
        try_join_all(now.iter().map(|change| apply(c, prefecture, change))).await?;
        rest = later;
    }
    Ok(())
}

/// How many of the first changes of `changes` may be written concurrently (at least one).
fn independent_run(changes: &[Change]) -> usize {
    let mut persons = std::collections::HashSet::new();
    let kind = |change: &Change| match change {
        Change::Register(r) if !matches!(r.duplicates, tsunagu_store::Duplicates::Link(_)) => Some((0, r.person.id)),
        Change::Stage { change, expected: None } => Some((1, change.person)),
        _ => None,
    };
    let Some((first_kind, _)) = changes.first().and_then(kind) else { return 1 };
    changes
        .iter()
        .take_while(|change| matches!(kind(change), Some((k, person)) if k == first_kind && persons.insert(person)))
        .count()
        .max(1)
}

/// A commit waiting for the appender, and where to answer.
pub(crate) struct Job {
    commit: Commit,
    reply: tokio::sync::oneshot::Sender<StoreResult<Vec<AuditEntry>>>,
}

/// Commits written together at most.
const GROUP: usize = 256;

/// The appender: takes the jobs waiting, writes them in one transaction, answers each.
pub(crate) async fn run_appender(
    pool: deadpool_postgres::Pool,
    prefecture: std::sync::Arc<str>,
    mut jobs: tokio::sync::mpsc::UnboundedReceiver<Job>,
) {
    while let Some(first) = jobs.recv().await {
        let mut batch = vec![first];
        while batch.len() < GROUP {
            match jobs.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        match write_batch(&pool, &prefecture, &batch).await {
            Ok(results) => {
                for (job, result) in batch.into_iter().zip(results) {
                    let _ = job.reply.send(result);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "audit batch failed");
                let message = e.to_string();
                for job in batch {
                    let _ = job.reply.send(Err(StoreError::Backend(message.clone().into())));
                }
            }
        }
    }
}

/// The start of a batch's transaction. The journey's counts are the appender's to add
/// ([`COUNT_BATCH`]), not the triggers'. Every statement is planned once for any parameters: the
/// path runs the same few statements (key lookups, inserts, `UNNEST`s of arrays) thousands of
/// times a second, and choosing a plan for each run's values (PostgreSQL's default for statements
/// whose generic plan it estimates dearer, as it does an `UNNEST` of arrays) cost 0.25 ms of
/// planning for the counts' 0.07 ms of work.
const BEGIN: &str = "BEGIN; SET LOCAL tsunagu.counts = 'batch'; SET LOCAL plan_cache_mode = force_generic_plan";

/// Writes `batch` in one transaction, after the lock. A commit with changes runs them in a
/// savepoint of its own when it shares the batch (its changes may fail alone: a stale version, a
/// duplicate); every entry is chained in memory and all go in one statement before the COMMIT.
/// The statements that do not wait on an answer are pipelined: the transaction's start, the lock
/// and the read of the last entry go in one round trip, the insert and the commit in another, so
/// a batch of reads costs two round trips and one sync however many it holds — every request
/// waits on this path, so each trip counts.
/// The outer error fails every commit of the batch; an inner one fails its commit alone.
async fn write_batch(
    pool: &deadpool_postgres::Pool,
    prefecture: &str,
    batch: &[Job],
) -> StoreResult<Vec<StoreResult<Vec<AuditEntry>>>> {
    let client = pool.get().await.map_err(StoreError::backend)?;
    let written = write_batch_on(&client, prefecture, batch).await;
    if written.is_err() {
        // The connection may be left inside the failed transaction: close it rather than hand
        // it back to the pool (closing rolls the transaction back).
        drop(deadpool_postgres::Object::take(client));
    }
    written
}

async fn write_batch_on(
    client: &deadpool_postgres::Object,
    prefecture: &str,
    batch: &[Job],
) -> StoreResult<Vec<StoreResult<Vec<AuditEntry>>>> {
    // Joined statements are sent in the order their futures first poll; each of these sends at
    // its first poll once the insert is prepared (a cache lookup after the first batch).
    let insert = crate::audit::prepare_insert(client).await?;
    let count = client.prepare_cached(COUNT_BATCH).await.map_err(db_err)?;
    let (_, mut last) =
        futures_util::try_join!(client.batch_execute(BEGIN).map_err(db_err), crate::audit::lock_and_read_last(client))?;
    // A commit alone needs no savepoint: if its changes fail, the whole transaction goes.
    let alone = batch.len() == 1;
    let mut results = Vec::with_capacity(batch.len());
    let mut pending: Vec<AuditEntry> = Vec::new();
    let mut tallies = Tallies::default();
    for job in batch {
        if !job.commit.changes().is_empty() {
            if !alone {
                client.batch_execute("SAVEPOINT job").await.map_err(db_err)?;
            }
            match apply_all(client, prefecture, job.commit.changes()).await {
                Ok(()) if alone => {}
                Ok(()) => client.batch_execute("RELEASE SAVEPOINT job").await.map_err(db_err)?,
                Err(e) if alone => {
                    client.batch_execute("ROLLBACK").await.map_err(db_err)?;
                    return Ok(vec![Err(e)]);
                }
                Err(e) => {
                    client.batch_execute("ROLLBACK TO SAVEPOINT job").await.map_err(db_err)?;
                    results.push(Err(e));
                    continue;
                }
            }
            job.commit.changes().iter().for_each(|change| change.tally(&mut tallies));
        }
        // Every entry of the batch, in chain order, goes in the one insert before the COMMIT.
        let entries = crate::audit::chain_after(&last, job.commit.events());
        if let Some(e) = entries.last() {
            last = Some((e.seq, e.hash.clone()));
        }
        pending.extend(entries.iter().cloned());
        results.push(Ok(entries));
    }
    futures_util::try_join!(
        crate::audit::insert_prepared(client, &insert, &pending),
        add_tallies(client, &count, &tallies),
        client.batch_execute("COMMIT").map_err(db_err)
    )?;
    Ok(results)
}

/// Adds a batch's tallies to the journey's counts (both tables, in the order the counting
/// triggers lock them); the triggers do not fire in the appender's transactions
/// (`tsunagu.counts = 'batch'`, migration 0025), so that a batch counts its records in one
/// statement instead of one trigger run per commit, each in turn under the audit lock.
const COUNT_BATCH: &str = "WITH t (agency_id, prefecture, measure, fiscal_year, breakdown, value) AS (
         SELECT * FROM UNNEST($1::UUID[], $2::TEXT[], $3::TEXT[], $4::INTEGER[], $5::TEXT[], $6::BIGINT[])
     ), by_agency AS (
         INSERT INTO agency_journey_counts AS c (agency_id, prefecture, measure, fiscal_year, breakdown, value)
         SELECT * FROM t ORDER BY 1, 2, 3, 4, 5
         ON CONFLICT (agency_id, prefecture, measure, fiscal_year, breakdown) DO UPDATE SET value = c.value + excluded.value
     )
     INSERT INTO journey_counts AS c (prefecture, measure, fiscal_year, agency_kind, breakdown, value)
     SELECT t.prefecture, t.measure, t.fiscal_year, COALESCE(a.kind, ''), t.breakdown, sum(t.value)
       FROM t LEFT JOIN agencies a ON a.id = t.agency_id
      GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
     ON CONFLICT (prefecture, measure, fiscal_year, agency_kind, breakdown) DO UPDATE SET value = c.value + excluded.value";

/// Sends [`COUNT_BATCH`] with `tallies` (at its first poll, so that joined with the audit insert
/// and the `COMMIT` it goes between them); nothing when there are none.
async fn add_tallies(
    client: &deadpool_postgres::Object,
    count: &tokio_postgres::Statement,
    tallies: &Tallies,
) -> StoreResult<()> {
    if tallies.is_empty() {
        return Ok(());
    }
    let (mut agencies, mut prefectures, mut measures) = (Vec::new(), Vec::new(), Vec::new());
    let (mut years, mut breakdowns, mut values) = (Vec::new(), Vec::new(), Vec::new());
    for (t, n) in tallies.iter() {
        agencies.push(t.agency.0);
        prefectures.push(t.prefecture.as_str());
        measures.push(t.measure.code());
        years.push(t.year.0);
        breakdowns.push(t.breakdown.as_str());
        values.push(n);
    }
    client.execute(count, &[&agencies, &prefectures, &measures, &years, &breakdowns, &values]).await.map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl RecordStore for PostgresStore {
    async fn commit(&self, commit: Commit) -> StoreResult<Vec<AuditEntry>> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let stopped = || StoreError::Backend("the audit appender has stopped".into());
        self.appender().send(Job { commit, reply }).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

/// The tables a bulk load fills. Their foreign keys, and their indexes that are neither unique
/// nor read while loading, are dropped before the load and built after it.
const SEEDED_TABLES: &str =
    "'persons', 'cases', 'consents', 'stage_changes', 'support_records', 'follow_ups', 'support_plans'";

/// Sets aside (in `seed_deferred`, in the order they are to be built again: indexes, then the
/// foreign keys, whose checks use them) and drops the foreign keys of [`SEEDED_TABLES`] and their
/// indexes that are not unique, except `cases_by_person`, which the load's updates of cases read.
fn defer_for_seeding() -> String {
    format!(
        "DO $$
         DECLARE d RECORD;
         BEGIN
             FOR d IN
                 SELECT 1 AS pass, pg_get_indexdef(ix.indexrelid) AS make,
                        format('DROP INDEX %I', ci.relname) AS drop
                   FROM pg_index ix
                   JOIN pg_class ci ON ci.oid = ix.indexrelid
                   JOIN pg_class ct ON ct.oid = ix.indrelid
                  WHERE ct.relname IN ({SEEDED_TABLES}) AND ct.relnamespace = current_schema()::regnamespace
                    AND NOT ix.indisunique AND ci.relname <> 'cases_by_person'
                 UNION ALL
                 SELECT 2, format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                                  pg_get_constraintdef(oid)),
                        format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname)
                   FROM pg_constraint
                  WHERE contype = 'f' AND conrelid::regclass::text IN ({SEEDED_TABLES})
                 ORDER BY 1
             LOOP
                 INSERT INTO seed_deferred (statement) VALUES (d.make);
                 EXECUTE d.drop;
             END LOOP;
         END $$"
    )
}

/// Builds what [`defer_for_seeding`] set aside, in order, with memory enough to sort an index of
/// 30 million rows in a few passes. Nothing to do (at every start) when no load was cut short.
pub(crate) const BUILD_DEFERRED: &str = "DO $$
     DECLARE d RECORD;
     BEGIN
         IF EXISTS (SELECT 1 FROM seed_deferred) THEN
             PERFORM set_config('maintenance_work_mem', '1GB', true);
             FOR d IN SELECT statement FROM seed_deferred ORDER BY ord LOOP
                 EXECUTE d.statement;
             END LOOP;
             DELETE FROM seed_deferred;
         END IF;
     END $$";

#[async_trait]
impl SeedStore for PostgresStore {
    async fn seeding(&self) -> StoreResult<()> {
        // The retention triggers are skipped by the load's transactions; the spells and their
        // counts are built after the indexes, by the same deferred statements (at every start,
        // should the load be cut short).
        let defer = format!(
            "{}; INSERT INTO seed_deferred (statement) VALUES ('SELECT rebuild_retention()')",
            defer_for_seeding()
        );
        self.client().await?.batch_execute(&defer).await.map_err(db_err)
    }

    async fn seed(&self, batch: &SeedBatch) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        tx.batch_execute("SET LOCAL tsunagu.retention = 'later'").await.map_err(db_err)?;
        // The registrations (and below, follow-ups and plans) are written concurrently on the one
        // connection, which pipelines their statements: each waits for the server's work, not for
        // a round trip after the one before. Each registration's own statements stay in order.
        // A link may name another person of the same batch, who must be written first: then in order.
        let links = |r: &tsunagu_store::Registration| matches!(&r.duplicates, tsunagu_store::Duplicates::Link(l) if !l.is_empty());
        if batch.registrations.iter().any(links) {
            for registration in &batch.registrations {
                insert_registration(&tx, registration).await?;
            }
        } else {
            try_join_all(batch.registrations.iter().map(|r| insert_registration(&tx, r))).await?;
        }
        insert_stages_bulk(&tx, &batch.stages).await?;
        insert_support_bulk(&tx, &batch.support_records).await?;
        try_join_all(batch.follow_ups.iter().map(|f| insert_follow_ups_in(&tx, std::slice::from_ref(f)))).await?;
        try_join_all(batch.plans.iter().map(|p| insert_plan_in(&tx, p))).await?;
        try_join_all(batch.openings.iter().map(|o| crate::openings::save_opening_in(&tx, o, None))).await?;
        try_join_all(batch.placements.iter().map(|p| crate::placements::save_placement_in(&tx, p, None))).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn seeded(&self) -> StoreResult<()> {
        // Without statistics the planner takes a freshly loaded table for a small one: updating
        // one case then scans an agency's 20,000 open cases through the caseload index (10 ms)
        // instead of reading the person's one case. Without the visibility map that VACUUM
        // writes, the caseload's index-only scans visit the table for every row. Autovacuum
        // (where it is on) would do both in time; the demo is served at once.
        let client = self.client().await?;
        client.batch_execute(BUILD_DEFERRED).await.map_err(db_err)?;
        client.batch_execute("VACUUM ANALYZE").await.map_err(db_err)
    }
}
