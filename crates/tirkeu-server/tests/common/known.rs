//! Known data for the statistics tests, written past the API with a bulk load, so that the
//! expected percentiles, boundary days and months can be worked out by hand.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use tirkeu_core::lifecycle::State;
use tirkeu_core::number::CaseNumber;
use tirkeu_core::text::Lang;
use tirkeu_store::{Applicant, Application, Arrival, SeedBatch, Store, with_store};

use super::{NOW, Server};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(24 * n)
}

/// A case for a bulk load: `permit_type` in `state`, with the given instants and validity.
fn case(
    id: i64,
    permit_type: &str,
    state: State,
    submitted: Option<Timestamp>,
    decided: Option<Timestamp>,
    due: Option<Timestamp>,
    valid_until: Option<Date>,
) -> Application {
    let created = submitted.unwrap_or_else(|| t(NOW)) - days(1);
    Application {
        id,
        number: CaseNumber::generate(),
        access_code_hash: "0".repeat(64),
        permit_type: permit_type.to_owned(),
        language: Lang::En,
        state,
        version: 5,
        applicant: Applicant {
            surname: "KNOWN".into(),
            given_names: "DATA".into(),
            passport_number: format!("K{id:08}"),
            nationality: "DEU".into(),
            birth_date: jiff::civil::date(1980, 1, 1),
            sex: "M".into(),
            passport_expiry: jiff::civil::date(2035, 1, 1),
        },
        email: None,
        phone: None,
        address_city: "Almaty".into(),
        address_line: "Abay 1".into(),
        arrival_date: None,
        office: "almaty".into(),
        assigned_officer: None,
        created_at: created,
        updated_at: decided.unwrap_or(created),
        submitted_at: submitted,
        due_at: due,
        decided_at: decided,
        reason: None,
        valid_from: valid_until.map(|_| jiff::civil::date(2026, 1, 1)),
        valid_until,
        collection_at: None,
        collection_place: None,
        card_number: None,
        respond_by: None,
        purged_at: None,
    }
}

/// An arrival notified at `notified`, late or not, by the test host.
fn arrival(id: i64, host_id: i64, notified: &str, late: bool) -> Arrival {
    let notified = t(notified);
    Arrival {
        id,
        confirmation_number: format!("TEST{id:06}"),
        host_id,
        surname: "GUEST".into(),
        given_names: "KNOWN".into(),
        passport_number: format!("G{id:08}"),
        nationality: "CHN".into(),
        birth_date: jiff::civil::date(1990, 1, 1),
        address_city: "Almaty".into(),
        address_line: "Hotel 1".into(),
        arrived_at: notified - days(if late { 5 } else { 1 }),
        status: tirkeu_store::ArrivalStatus::Notified,
        notified_at: Some(notified),
        deadline_at: notified - days(if late { 2 } else { -1 }),
        late,
        fine_kzt: None,
    }
}

/// Known data, loaded past the API: study cases decided after 20, 36, 48, 72, 100, 120, 150,
/// 170, 200 and 240 hours (whole days rounded up: 1, 2, 2, 3, 5, 5, 7, 8, 9, 10; due after
/// 120 hours, so six on time) and one decided 400 days ago (outside the window); issued
/// investment cards whose last day is yesterday, today, today + 30 and today + 31, and an
/// expired one within the window; arrivals in December and November 2026 (Almaty months)
/// and December 2025.
pub async fn load_known(s: &Server) {
    let now = t(NOW);
    let today: Date = jiff::civil::date(2026, 12, 2);
    let mut batch = SeedBatch::default();
    let max = with_store!(&s.store, st => st.max_ids().await.unwrap());
    let host_id = with_store!(&s.store, st => st.user_by_username("hotel").await.unwrap().id);
    let mut id = max.applications;
    let submitted = now - days(100);
    for hours in [20, 36, 48, 72, 100, 120, 150, 170, 200, 240] {
        id += 1;
        batch.applications.push(case(
            id,
            "study",
            State::Rejected,
            Some(submitted),
            Some(submitted + SignedDuration::from_hours(hours)),
            Some(submitted + SignedDuration::from_hours(120)),
            None,
        ));
    }
    id += 1;
    batch.applications.push(case(
        id,
        "study",
        State::Rejected,
        Some(now - days(410)),
        Some(now - days(400)),
        Some(now - days(405)),
        None,
    ));
    for (state, until) in [
        (State::Issued, today - days(1)),
        (State::Issued, today),
        (State::Issued, today + days(30)),
        (State::Issued, today + days(31)),
        (State::Expired, today + days(5)),
    ] {
        id += 1;
        batch.applications.push(case(
            id,
            "investment",
            state,
            Some(now - days(200)),
            Some(now - days(190)),
            Some(now - days(180)),
            Some(until),
        ));
    }
    for (id, (at, late)) in (max.arrivals + 1..).zip([
        ("2026-11-30T19:00:00Z", true),  // 1 December, 00:00 in Almaty
        ("2026-11-30T18:59:59Z", false), // 30 November, 23:59:59 in Almaty
        ("2026-11-15T10:00:00Z", true),
        ("2025-12-15T10:00:00Z", true), // before the twelve months shown
    ]) {
        batch.arrivals.push(arrival(id, host_id, at, late));
    }
    with_store!(&s.store, st => st.bulk_load(&batch).await.unwrap());
}
