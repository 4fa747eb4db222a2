//! MRZ reading speed: the ICAO TD3 and TD1 specimens, and a corrupted TD3.
//! The baseline, measured in the same run, is the third-party `mrz` crate on the same zone.
//! Run with `cargo bench -p tirkeu-core --bench mrz`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::civil::date;
use tirkeu_core::mrz::{Mrz, check};

/// Doc 9303 Part 4, Appendix A.
const TD3: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                   L898902C36UTO7408122F1204159ZE184226B<<<<<10";
/// Doc 9303 Part 5, Appendix A.
const TD1: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n\
                   7408122F1204159UTO<<<<<<<<<<<6\n\
                   ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
/// The TD3 specimen with a wrong birth date check digit and a bad sex cell.
const TD3_CORRUPTED: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                             L898902C36UTO7408123Q1204159ZE184226B<<<<<10";

fn bench(c: &mut Criterion) {
    let today = date(2026, 5, 1);
    c.bench_function("parse TD3 specimen", |b| {
        b.iter(|| Mrz::parse(black_box(TD3), today).unwrap());
    });
    c.bench_function("parse TD1 specimen", |b| {
        b.iter(|| Mrz::parse(black_box(TD1), today).unwrap());
    });
    c.bench_function("check corrupted TD3", |b| {
        b.iter(|| check(black_box(TD3_CORRUPTED), today));
    });
    // Baseline: the third-party `mrz` crate parsing the same specimen.
    let (l1, l2) = TD3.split_once('\n').unwrap();
    c.bench_function("baseline: mrz crate parse_td3", |b| {
        b.iter(|| mrz::parse_td3(black_box(l1), black_box(l2)).unwrap());
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
