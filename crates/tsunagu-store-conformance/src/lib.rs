//! One storage conformance suite, written once and run against every adapter.
//!
//! Each adapter's `tests/conformance.rs` calls [`conformance_suite!`] with a harness function that
//! gives each case a fresh, migrated, empty store, so a failure reads
//! `tsunagu-store-postgres::conformance agency_updates_are_refused_when_stale`.

pub mod cases;
pub mod fixtures;
pub mod writes;

pub use futures_util::future::BoxFuture;

/// Makes every later audit append of the case's database fail, as a full disk or a broken
/// connection would (each adapter's harness installs a trigger that refuses inserts into the
/// audit log).
pub type BreakAudit = Box<dyn FnOnce() -> BoxFuture<'static, ()> + Send>;

/// Expands every case in [`cases`] into a `#[tokio::test]` that runs it through `$harness`, an
/// `async fn(impl FnOnce(Arc<dyn Store>, BreakAudit) -> BoxFuture<'static, ()>)`.
#[macro_export]
macro_rules! conformance_suite {
    ($harness:path) => {
        $crate::conformance_suite!(@cases $harness;
            migrations_run_once,
            blocks_and_municipalities_round_trip,
            municipality_changes_are_saved,
            agencies_round_trip_with_every_field,
            agency_batches_are_all_or_nothing,
            agency_imports_apply_whole_or_not_at_all,
            agency_updates_are_refused_when_stale,
            updating_a_missing_agency_reports_not_found,
            search_matches_folded_text_anywhere,
            search_treats_wildcards_literally,
            search_filters_by_block_kind_and_municipality,
            search_block_follows_the_municipality,
            search_pages_in_a_stable_order,
            every_directory_write_moves_the_revision,
            employers_are_unique_by_corporate_number,
            employers_are_saved_searched_and_linked,
            openings_are_saved_and_published_ones_found,
            placements_are_saved_with_the_journey_and_ended_once,
            slots_hold_their_seats_and_bookings_their_outcomes,
            enrolments_are_one_per_person_and_graduates_carry_their_jobs,
            job_preferences_are_one_per_person_and_edited_on_their_version,
            coaching_keeps_one_day_per_coach_and_case_within_the_days_limit,
            trials_keep_one_week_each_and_refuse_stale_edits,
            return_plans_are_written_whole_and_listed_until_they_end,
            trywork_participations_are_written_whole_on_their_version,
            sign_ups_racing_never_overfill_an_event,
            events_keep_their_seats_through_edits_cancels_and_attendance,
            assistance_records_are_written_whole_on_their_version,
            coordinators_are_written_whole_on_their_version,
            checklists_are_written_whole_on_their_version,
            mws_results_are_written_whole_on_their_version,
            assessment_sheets_are_written_whole_on_their_version,
            passports_are_one_a_person_and_written_whole_on_their_version,
            quota_rosters_are_one_an_employer_and_written_whole_on_their_version,
            accounts_round_trip_and_logins_are_unique,
            calendar_feeds_are_one_an_account_and_stop,
            sessions_join_their_account_and_can_be_voided,
            failed_logins_are_counted_per_key_within_the_window,
            audit_entries_chain_and_read_back,
            concurrent_audit_appends_form_one_chain,
            audit_searches_filter_and_page_newest_first,
            api_tokens_round_trip_and_are_revoked_by_their_owner,
            consents_and_provisions_round_trip,
            persons_register_with_consent_case_and_links,
            duplicates_are_decided_where_the_registration_is_written,
            caseloads_list_open_cases_and_person_edits_are_checked,
            caseloads_are_searched_filtered_and_sorted,
            journeys_and_support_records_round_trip,
            support_records_and_their_audit_entries_commit_together,
            person_imports_write_everything_with_their_audit_entries_or_nothing,
            support_record_imports_commit_with_their_audit_entries_or_not_at_all,
            follow_ups_are_scheduled_listed_and_completed,
            plans_and_reviews_round_trip,
            documents_are_attached_read_and_removed,
            emergency_overrides_are_open_for_their_window,
            agency_documents_are_attached_read_and_removed,
            program_registry_round_trips,
            figures_are_entered_with_their_entry_and_replaced,
            journey_counts_are_kept_as_records_are_written,
            journey_counts_hold_what_concurrent_commits_wrote,
            fairs_are_saved_whole_and_stale_edits_refused,
            retention_is_kept_as_records_are_written,
            referrals_move_with_notices_and_open_the_receivers_case,
        );
        $crate::conformance_suite!(@sabotage $harness;
            a_commit_whose_audit_append_fails_leaves_nothing,
        );
    };
    (@cases $harness:path; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                $harness(|store, _| -> $crate::BoxFuture<'static, ()> { Box::pin($crate::cases::$case(store)) }).await;
            }
        )*
    };
    (@sabotage $harness:path; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                $harness(|store, break_audit| -> $crate::BoxFuture<'static, ()> {
                    Box::pin($crate::cases::$case(store, break_audit))
                })
                .await;
            }
        )*
    };
}
