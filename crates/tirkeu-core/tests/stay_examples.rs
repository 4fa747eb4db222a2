//! Published worked examples of the Schengen 90/180 rule, from the Swiss State Secretariat for
//! Migration (SEM), which documents the European Commission's short-stay calculator with six
//! examples ("Beispiel 1–6", last modified 01.12.2014). The dates and results in the comments are
//! the source's; the arithmetic under them is ours, done by hand to show why our definitions give
//! the same answer. The SEM pages read "bis am X legal bleiben" as the last legal day X.

use jiff::civil::{Date, date};
use tirkeu_core::stay::{Stay, StayReport, StayRule, calculate};

const SCHENGEN: StayRule = StayRule {
    limit_days: 90,
    window_days: 180,
    per_entry_days: None,
};

fn stays(list: &[&str]) -> Vec<Stay> {
    list.iter().map(|s| Stay::parse(s).unwrap()).collect()
}

fn check(list: &[&str], on: Date) -> StayReport {
    calculate(&SCHENGEN, &stays(list), on, None).unwrap()
}

/// SEM, "Beispiel 1 – Legaler Aufenthalt" / "Example 1 – Legal stay",
/// <https://www.sem.admin.ch/sem/de/home/themen/einreise/aufenthaltsrechner/bsp-1.html>
/// (English: <https://www.rhf.admin.ch/sem/en/home/themen/einreise/aufenthaltsrechner/bsp-1.html>).
/// Entry 15.08.2014, checked on departure 30.09.2014: 47 days used. Returning on 01.01.2015 the
/// person "may remain for 90 more days".
#[test]
fn sem_example_1_return_after_a_break_gives_90_days() {
    let r = check(&["2014-08-15:2014-09-30"], date(2014, 9, 30));
    // 15.08–31.08 = 17 days, September = 30 days.
    assert_eq!(r.days_used, 47);
    assert_eq!(r.days_left, 43);
    assert_eq!(r.current_entry, Some(date(2014, 8, 15)));

    let r = check(&["2014-08-15:2014-09-30"], date(2015, 1, 1));
    // The 180-day window of 01.01.2015 starts 06.07.2014, so all 47 days are still in it; from
    // 10.02.2015 on, each new day pushes one August/September day out, so the count stays at 88
    // until the window passes 30.09.2014 (on 29.03.2015), then reaches 90 on 31.03.2015.
    // 01.01–31.03.2015 = 31 + 28 + 31 = 90 days of stay, as SEM says.
    assert_eq!(r.days_used, 47);
    assert_eq!(r.last_legal_day, Some(date(2015, 3, 31)));
    assert_eq!(r.overstay_days, 0);
    assert_eq!(r.current_entry, None);
    assert!(!r.needs_card);
}

/// SEM, "Beispiel 2 – Legaler Aufenthalt" / "Example 2 – Legal stay",
/// <https://www.sem.admin.ch/sem/en/home/themen/einreise/aufenthaltsrechner/bsp-2.html>.
/// Stays 15.08.2014–30.09.2014 and 01.11.2014–30.11.2014, checked on departure 30.11.2014: no
/// overstay, and she "would be able to remain … without interruption until 13 December 2014".
#[test]
fn sem_example_2_legal_stay_until_13_december() {
    let r = check(
        &["2014-08-15:2014-09-30", "2014-11-01:2014-11-30"],
        date(2014, 11, 30),
    );
    // 47 + 30 = 77 days in the window 04.06.2014–30.11.2014.
    assert_eq!(r.days_used, 77);
    assert_eq!(r.days_left, 13);
    assert_eq!(r.overstay_days, 0);
    // Window of 13.12.2014 starts 17.06.2014: 47 + 30 + 13 = 90; on 14.12 it would be 91.
    assert_eq!(r.last_legal_day, Some(date(2014, 12, 13)));
    assert_eq!(r.current_entry, Some(date(2014, 11, 1)));
    // Planning to leave on the 13th is fine, on the 14th is not.
    let plan = |until| {
        calculate(
            &SCHENGEN,
            &stays(&["2014-08-15:2014-09-30", "2014-11-01:2014-11-30"]),
            date(2014, 11, 30),
            Some(until),
        )
        .unwrap()
        .needs_card
    };
    assert!(!plan(date(2014, 12, 13)));
    assert!(plan(date(2014, 12, 14)));
}

/// SEM, "Beispiel 4 – Legaler Aufenthalt: Mehrere Einreisen mit einem Visum \"Multiple
/// Entries\", 90 Tage",
/// <https://www.sem.admin.ch/sem/de/home/themen/einreise/aufenthaltsrechner/bsp-4.html>
/// (stored copy seen at www.fedpol.admin.ch/sem/de/…/bsp-4.html).
/// Stays 01.06.2013–13.07.2013, 15.08.2013–30.09.2013, 01.01.2014–30.01.2014, checked on
/// departure 30.01.2014: the June/July stay is outside the reference period, the January stay
/// was legal, and the person "hätte noch bis am 31.03.2014 legal … bleiben können".
#[test]
fn sem_example_4_multiple_entries_legal_until_31_march() {
    let list = [
        "2013-06-01:2013-07-13",
        "2013-08-15:2013-09-30",
        "2014-01-01:2014-01-30",
    ];
    let r = check(&list, date(2014, 1, 30));
    // Window of 30.01.2014 starts 04.08.2013: 47 (Aug/Sep) + 30 (January) = 77.
    assert_eq!(r.days_used, 77);
    // On 30.09.2013 the count was 43 (June/July) + 47 = 90: at the limit, not over it.
    assert_eq!(r.overstay_days, 0);
    // Staying on: January 1 onward counts 88 by 10.02.2014, stays at 88 while Aug/Sep days drop
    // out (until 29.03.2014), then 89 on 30.03 and 90 on 31.03.2014; 01.04 would be 91.
    assert_eq!(r.last_legal_day, Some(date(2014, 3, 31)));
    assert_eq!(r.current_entry, Some(date(2014, 1, 1)));
    // The June/July stay does not change the answer, as SEM says.
    assert_eq!(check(&list[1..], date(2014, 1, 30)), r);
}

/// SEM, "Beispiel 5 – Überschreitung der Aufenthaltstage (kurzer \"Overstay\")",
/// <https://www.sem.admin.ch/sem/de/home/themen/einreise/aufenthaltsrechner/bsp-5.html>
/// (stored copy seen at www.e-doc.admin.ch/sem/de/…/bsp-5.html).
/// Stays 01.09.2013–30.09.2013, 21.02.2014–20.04.2014, 01.05.2014–09.06.2014: on departure
/// 09.06.2014 an overstay of 9 days; re-entering on 30.08.2014 a stay of up to 50 days is
/// possible.
#[test]
fn sem_example_5_short_overstay_then_50_days() {
    let list = [
        "2013-09-01:2013-09-30",
        "2014-02-21:2014-04-20",
        "2014-05-01:2014-06-09",
    ];
    let r = check(&list, date(2014, 6, 9));
    // 21.02–20.04 = 8 + 31 + 20 = 59 days, 01.05–09.06 = 31 + 9 = 40 days: 99 in the window
    // (which starts 12.12.2013); the count passes 90 on 01.06, so 01.06–09.06 = 9 days over.
    assert_eq!(r.days_used, 99);
    assert_eq!(r.days_left, 0);
    assert_eq!(r.overstay_days, 9);
    assert_eq!(r.last_legal_day, None);
    assert!(r.needs_card);

    let r = check(&list, date(2014, 8, 30));
    // Window of 30.08.2014 starts 04.03.2014: 48 (04.03–20.04) + 40 = 88 before entering;
    // 89 with the entry day. Each further day drops one March/April day until 17.10.2014
    // (window from 21.04), so 18.10 counts 90 and 19.10 would count 91. 30.08–18.10.2014 =
    // 2 + 30 + 18 = 50 days, as SEM says. The past overstay stays on record.
    assert_eq!(r.days_used, 88);
    assert_eq!(r.last_legal_day, Some(date(2014, 10, 18)));
    assert_eq!(r.overstay_days, 9);
    assert!(!r.needs_card);
}

/// SEM, "Beispiel 6 – Überschreitung der Aufenthaltstage (langer \"Overstay\")",
/// <https://www.sem.admin.ch/sem/de/home/themen/einreise/aufenthaltsrechner/bsp-6.html>.
/// Checked on departure 01.03.2014; only stays from the reference period 03.09.2013–01.03.2014
/// are to be entered; result: an overstay of 74 days. The stamp table is partly garbled in the
/// stored page; its in-period row is the entry of 19.09.2013, and 19.09.2013–01.03.2014 is
/// 12 + 31 + 30 + 31 + 31 + 28 + 1 = 164 days, 74 of them beyond the 90th — SEM's figure.
#[test]
fn sem_example_6_long_overstay_of_74_days() {
    let r = check(&["2013-09-19:2014-03-01"], date(2014, 3, 1));
    assert_eq!(r.days_used, 164);
    // The 91st day is 18.12.2013: 18.12–01.03 = 14 + 31 + 28 + 1 = 74.
    assert_eq!(r.overstay_days, 74);
    assert_eq!(r.last_legal_day, None);
    assert_eq!(r.current_entry, Some(date(2013, 9, 19)));
    // The same stay entered as still open on the control day gives the same report.
    assert_eq!(check(&["2013-09-19:"], date(2014, 3, 1)), r);
}

/// Hand-verified (no published source): a 30-days-per-entry cap inside a 90/180 rule, as for
/// visa-free visitors to Kazakhstan from some countries.
#[test]
fn per_entry_cap_of_30_days() {
    let rule = StayRule {
        per_entry_days: Some(30),
        ..SCHENGEN
    };
    // Entered 01.03.2026, still present on 10.03.2026 (day 10 of the entry).
    let r = calculate(&rule, &stays(&["2026-03-01:"]), date(2026, 3, 10), None).unwrap();
    assert_eq!(r.days_used, 10);
    assert_eq!(r.days_left, 80);
    // Day 30 of the entry is 30.03.2026; the 90/180 limit alone would allow until 29.05.
    assert_eq!(r.last_legal_day, Some(date(2026, 3, 30)));
    assert!(!r.needs_card);
    assert!(
        calculate(
            &rule,
            &stays(&["2026-03-01:"]),
            date(2026, 3, 10),
            Some(date(2026, 4, 15))
        )
        .unwrap()
        .needs_card
    );
    // Stayed until 05.04.2026: days 31–36 of the entry (31.03–05.04) are 6 days of overstay.
    let r = calculate(
        &rule,
        &stays(&["2026-03-01:2026-04-05"]),
        date(2026, 4, 5),
        None,
    )
    .unwrap();
    assert_eq!(r.overstay_days, 6);
    assert_eq!(r.last_legal_day, None);
    // Away on 06.04, back on 08.04: a new entry, but 36 of the last 180 days are used.
    let r = calculate(
        &rule,
        &stays(&["2026-03-01:2026-04-05"]),
        date(2026, 4, 8),
        None,
    )
    .unwrap();
    assert_eq!(r.days_used, 36);
    assert_eq!(r.last_legal_day, Some(date(2026, 5, 7)));
    assert_eq!(r.current_entry, None);
}
