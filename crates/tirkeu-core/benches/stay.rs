//! Stay calculator on a 90/180 rule with 10 and 100 stays spread over five years, against
//! the day-by-day reference implementation as the baseline measured in the same run.
//! Run with `cargo bench -p tirkeu-core --bench stay`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Span;
use jiff::civil::{Date, date};
use tirkeu_core::stay::{Stay, StayRule, calculate};

#[path = "../tests/stay_reference/mod.rs"]
mod stay_reference;

/// `n` stays evenly spread over five years from 2021-01-01, each lasting half of its slot.
fn spread(n: i64) -> (Vec<Stay>, Date) {
    let start = date(2021, 1, 1);
    let slot = 5 * 365 / n;
    let day = |k: i64| start.checked_add(Span::new().days(k)).unwrap();
    let stays: Vec<Stay> = (0..n)
        .map(|i| Stay {
            entry: day(i * slot),
            exit: Some(day(i * slot + slot / 2)),
        })
        .collect();
    let on = stays.last().and_then(|s| s.exit).unwrap();
    (stays, on)
}

fn bench(c: &mut Criterion) {
    let rule = StayRule {
        limit_days: 90,
        window_days: 180,
        per_entry_days: None,
    };
    for n in [10, 100] {
        let (stays, on) = spread(n);
        c.bench_function(&format!("stay 90/180, {n} stays over 5 years"), |b| {
            b.iter(|| calculate(black_box(&rule), black_box(&stays), black_box(on), None));
        });
        // Baseline: the day-by-day reference implementation of the same definitions.
        c.bench_function(&format!("baseline: day-by-day reference, {n} stays"), |b| {
            b.iter(|| {
                stay_reference::reference(black_box(&rule), black_box(&stays), black_box(on), None)
            });
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
