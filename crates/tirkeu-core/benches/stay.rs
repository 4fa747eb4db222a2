//! Stay calculator on a 90/180 rule with 10 and 100 stays spread over five years.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Span;
use jiff::civil::{Date, date};
use tirkeu_core::stay::{Stay, StayRule, calculate};

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
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
